package io.minitoolstream.camel.store.s3;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import io.minitoolstream.camel.store.PayloadNotFoundException;
import io.minitoolstream.camel.store.PayloadStore;
import io.minitoolstream.camel.store.PayloadStoreException;
import io.minitoolstream.camel.store.StoredObject;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PayloadStore} on any S3-compatible object store through the MinIO Java client. Payloads are streamed:
 * a known size is uploaded with that size (the client picks the part size and holds one part at a time), an
 * unknown size as a multipart upload of {@value #UNKNOWN_SIZE_PART_BYTES}-byte parts.
 */
public class MinioPayloadStore implements PayloadStore {

    /** Part size of uploads whose length is unknown; memory stays bounded by one part. */
    public static final long UNKNOWN_SIZE_PART_BYTES = 10L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(MinioPayloadStore.class);


    private static final String NO_SUCH_KEY = "NoSuchKey";
    private static final int MAX_REASON_LENGTH = 300;

    private final MinioClient client;
    private final OkHttpClient httpClient;
    private final String bucket;
    private final String region;
    private final boolean autoCreateBucket;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Creates its own client (TCP_NODELAY sockets); {@link #close()} releases it. */
    public MinioPayloadStore(S3Settings settings) {
        Objects.requireNonNull(settings, "settings");
        this.httpClient = S3Clients.createHttpClient(settings);
        this.client = S3Clients.create(settings, httpClient);
        this.bucket = settings.bucket();
        this.region = settings.region();
        this.autoCreateBucket = settings.autoCreateBucket();
    }

    /**
     * Uses a client the caller owns ({@link #close()} leaves it open); of the settings only the bucket, the
     * region (for creating the bucket) and autoCreateBucket are used.
     */
    public MinioPayloadStore(MinioClient client, S3Settings settings) {
        this.client = Objects.requireNonNull(client, "client");
        Objects.requireNonNull(settings, "settings");
        this.httpClient = null;
        this.bucket = settings.bucket();
        this.region = settings.region();
        this.autoCreateBucket = settings.autoCreateBucket();
    }

    public String bucket() {
        return bucket;
    }

    /** The client in use (owned or user-supplied). */
    public MinioClient client() {
        return client;
    }

    @Override
    public void ensureBucket() {
        try {
            if (client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                return;
            }
        } catch (Exception e) {
            throw failure("checking", null, e);
        }
        if (!autoCreateBucket) {
            throw new PayloadStoreException("bucket '" + bucket + "' does not exist and autoCreateBucket is false");
        }
        try {
            MakeBucketArgs.Builder args = MakeBucketArgs.builder().bucket(bucket);
            if (region != null) {
                args.region(region);
            }
            client.makeBucket(args.build());
            LOG.info("Created bucket '{}'", bucket);
        } catch (ErrorResponseException e) {
            String code = e.errorResponse().code();
            if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
                throw failure("creating", null, e);
            }
            // created concurrently by someone else
        } catch (Exception e) {
            throw failure("creating", null, e);
        }
    }

    @Override
    public void put(String objectName, InputStream content, long size, String contentType) {
        Objects.requireNonNull(objectName, "objectName");
        Objects.requireNonNull(content, "content");
        if (size < -1) {
            throw new IllegalArgumentException("size must be -1 (unknown) or >= 0, was " + size);
        }
        try {
            PutObjectArgs.Builder args = PutObjectArgs.builder().bucket(bucket).object(objectName);
            if (size >= 0) {
                args.stream(content, size, -1);
            } else {
                args.stream(content, -1, UNKNOWN_SIZE_PART_BYTES);
            }
            if (contentType != null && !contentType.isBlank()) {
                args.contentType(contentType);
            }
            client.putObject(args.build());
        } catch (Exception e) {
            throw failure("uploading", objectName, e);
        }
    }

    @Override
    public InputStream get(String objectName) throws PayloadNotFoundException {
        Objects.requireNonNull(objectName, "objectName");
        try {
            return client.getObject(GetObjectArgs.builder().bucket(bucket).object(objectName).build());
        } catch (ErrorResponseException e) {
            if (NO_SUCH_KEY.equals(e.errorResponse().code())) {
                throw new PayloadNotFoundException(bucket, objectName, e);
            }
            throw failure("downloading", objectName, e);
        } catch (Exception e) {
            throw failure("downloading", objectName, e);
        }
    }

    @Override
    public void delete(String objectName) {
        Objects.requireNonNull(objectName, "objectName");
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(objectName).build());
        } catch (ErrorResponseException e) {
            if (!NO_SUCH_KEY.equals(e.errorResponse().code())) {
                throw failure("deleting", objectName, e);
            }
        } catch (Exception e) {
            throw failure("deleting", objectName, e);
        }
    }

    @Override
    public boolean exists(String objectName) {
        Objects.requireNonNull(objectName, "objectName");
        try {
            client.statObject(StatObjectArgs.builder().bucket(bucket).object(objectName).build());
            return true;
        } catch (ErrorResponseException e) {
            if (NO_SUCH_KEY.equals(e.errorResponse().code())) {
                return false;
            }
            throw failure("checking", objectName, e);
        } catch (Exception e) {
            throw failure("checking", objectName, e);
        }
    }

    /** ListObjectsV2 following continuation tokens only (never {@code start-after}, which S3Proxy rejects across pages). */
    @Override
    public void forEachObjectPage(int pageSize, Consumer<List<StoredObject>> page) {
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("invalid page size " + pageSize + ": must be between 1 and 1000");
        }
        Iterable<Result<Item>> items = client.listObjects(ListObjectsArgs.builder()
                .bucket(bucket).recursive(true).maxKeys(pageSize).build());
        List<StoredObject> current = new ArrayList<>(pageSize);
        try {
            for (Result<Item> result : items) {
                Item item = result.get();
                if (item.isDir()) {
                    continue;
                }
                Instant modified = item.lastModified() != null ? item.lastModified().toInstant() : Instant.now();
                current.add(new StoredObject(item.objectName(), modified, item.size()));
                if (current.size() == pageSize) {
                    page.accept(current);
                    current = new ArrayList<>(pageSize);
                }
            }
        } catch (ErrorResponseException e) {
            if ("NoSuchBucket".equals(e.errorResponse().code())) {
                return; // nothing was ever stored
            }
            throw failure("listing", null, e);
        } catch (PayloadStoreException | IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw failure("listing", null, e);
        }
        if (!current.isEmpty()) {
            page.accept(current);
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true) || httpClient == null) {
            return;
        }
        try {
            client.close();
        } catch (Exception e) {
            LOG.warn("Closing the S3 client failed: {}", e.toString());
        }
        // what MinioClient.close() does for a client it owns; repeated so it holds whatever the client version
        httpClient.dispatcher().executorService().shutdown();
        httpClient.connectionPool().evictAll();
    }

    private PayloadStoreException failure(String action, String objectName, Exception e) {
        if (e instanceof PayloadStoreException pse) {
            return pse;
        }
        String target = objectName == null
                ? "bucket '" + bucket + "'"
                : "object '" + objectName + "' in bucket '" + bucket + "'";
        return new PayloadStoreException("S3 " + action + " " + target + " failed: " + reason(e), e);
    }

    private static String reason(Exception e) {
        if (e instanceof ErrorResponseException ere && ere.errorResponse() != null) {
            String code = ere.errorResponse().code();
            String message = ere.errorResponse().message();
            return code + (message == null || message.isBlank() ? "" : " (" + message + ")");
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        // some messages carry a whole HTML error page: keep its first line, bounded
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline) + " ...";
        }
        if (message.length() > MAX_REASON_LENGTH) {
            message = message.substring(0, MAX_REASON_LENGTH) + " ...";
        }
        return e.getClass().getSimpleName() + ": " + message;
    }

    @Override
    public String toString() {
        return "MinioPayloadStore[bucket=" + bucket + ", ownsClient=" + (httpClient != null) + "]";
    }
}
