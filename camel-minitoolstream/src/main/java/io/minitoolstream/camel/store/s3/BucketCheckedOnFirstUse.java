package io.minitoolstream.camel.store.s3;

import java.io.InputStream;
import java.util.List;
import java.util.function.Consumer;

import io.minitoolstream.camel.store.PayloadNotFoundException;
import io.minitoolstream.camel.store.PayloadStore;
import io.minitoolstream.camel.store.StoredObject;


/**
 * Checks (or creates) the bucket on the first object storage call instead of at start, so an object store that
 * is down when the routes start fails only the exchanges that need it, and the first call after it is back
 * succeeds. A failed check is retried on the next call.
 */
public final class BucketCheckedOnFirstUse implements PayloadStore {

    private final PayloadStore delegate;
    private volatile boolean bucketChecked;

    public BucketCheckedOnFirstUse(PayloadStore delegate) {
        this.delegate = delegate;
    }

    private void checkBucket() {
        if (!bucketChecked) {
            synchronized (this) {
                if (!bucketChecked) {
                    delegate.ensureBucket();
                    bucketChecked = true;
                }
            }
        }
    }

    @Override
    public void ensureBucket() {
        checkBucket();
    }

    @Override
    public void put(String objectName, InputStream content, long size, String contentType) {
        checkBucket();
        delegate.put(objectName, content, size, contentType);
    }

    @Override
    public InputStream get(String objectName) throws PayloadNotFoundException {
        checkBucket();
        return delegate.get(objectName);
    }

    @Override
    public void delete(String objectName) {
        checkBucket();
        delegate.delete(objectName);
    }

    @Override
    public boolean exists(String objectName) {
        checkBucket();
        return delegate.exists(objectName);
    }

    /** Listing needs no bucket check: a missing bucket lists as empty. */
    @Override
    public void forEachObjectPage(int pageSize, Consumer<List<StoredObject>> page) {
        delegate.forEachObjectPage(pageSize, page);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
