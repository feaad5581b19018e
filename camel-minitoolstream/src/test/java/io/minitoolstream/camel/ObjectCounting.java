package io.minitoolstream.camel;

import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;

/** Counting the payload objects a test's subject left in the bucket. */
final class ObjectCounting {

    private ObjectCounting() {
    }

    static int objectsUnder(MinioClient minio, String subject) {
        int count = 0;
        try {
            for (Result<Item> item : minio.listObjects(ListObjectsArgs.builder().bucket("minitoolstream")
                    .prefix(subject + "/").recursive(true).build())) {
                item.get();
                count++;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return count;
    }
}
