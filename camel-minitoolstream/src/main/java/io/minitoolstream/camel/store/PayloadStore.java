package io.minitoolstream.camel.store;

import java.io.InputStream;
import java.util.List;
import java.util.function.Consumer;

/**
 * Payload bytes in S3-compatible object storage. Calls block the calling thread; the component runs them on
 * its own executor. Payloads are always streamed, never buffered whole.
 */
public interface PayloadStore extends AutoCloseable {

    /** Makes sure the bucket exists: creates it when allowed, otherwise fails naming the bucket. */
    void ensureBucket();

    /**
     * Streams {@code content} into {@code objectName}. {@code size} is the exact length, or -1 when unknown
     * (then the upload is multipart and memory stays bounded by one part).
     */
    void put(String objectName, InputStream content, long size, String contentType);

    /** Opens the object for reading; the caller closes the stream. */
    InputStream get(String objectName) throws PayloadNotFoundException;

    /** Deletes the object; deleting a missing object is not an error. */
    void delete(String objectName);

    boolean exists(String objectName);

    /**
     * Lists every object of the bucket, handing them over a page of at most {@code pageSize} (1-1000) at a time; a
     * bucket that does not exist lists as empty. For the orphan sweep.
     */
    void forEachObjectPage(int pageSize, Consumer<List<StoredObject>> page);

    /** Closes the clients this store created; clients supplied by the user stay open. */
    @Override
    void close();
}
