package io.minitoolstream.examples.cleaner;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;

/**
 * The payload bucket through the MinIO client. Listing uses ListObjectsV2 and follows continuation tokens only
 * (never {@code start-after}, which S3Proxy rejects across pages).
 */
public final class MinioBucket implements OrphanSweeper.Bucket {

    private final MinioClient client;
    private final String bucket;
    private final int pageSize;

    public MinioBucket(MinioClient client, String bucket, int pageSize) {
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("invalid page size " + pageSize + ": must be between 1 and 1000");
        }
        this.client = client;
        this.bucket = bucket;
        this.pageSize = pageSize;
    }

    @Override
    public void forEachPage(Consumer<List<OrphanSweeper.StoredObject>> page) throws Exception {
        // The V2 iterator asks for the next page with the previous response's continuation token.
        Iterable<Result<Item>> items = client.listObjects(ListObjectsArgs.builder()
                .bucket(bucket)
                .recursive(true)
                .maxKeys(pageSize)
                .build());
        List<OrphanSweeper.StoredObject> current = new ArrayList<>(pageSize);
        for (Result<Item> result : items) {
            Item item;
            try {
                item = result.get();
            } catch (ErrorResponseException e) {
                if ("NoSuchBucket".equals(e.errorResponse().code())) {
                    return; // nothing was ever stored
                }
                throw e;
            }
            if (item.isDir()) {
                continue;
            }
            Instant modified = item.lastModified() != null ? item.lastModified().toInstant() : Instant.now();
            current.add(new OrphanSweeper.StoredObject(item.objectName(), modified, item.size()));
            if (current.size() == pageSize) {
                page.accept(current);
                current = new ArrayList<>(pageSize);
            }
        }
        if (!current.isEmpty()) {
            page.accept(current);
        }
    }

    @Override
    public void remove(String name) throws Exception {
        client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(name).build());
    }
}
