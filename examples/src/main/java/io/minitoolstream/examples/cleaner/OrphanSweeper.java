package io.minitoolstream.examples.cleaner;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes payload objects that no message references: left behind when a publish failed after its upload and
 * the producer could not delete the object, or when a message was deleted but its object was not. The bucket is
 * listed page by page; of each page, objects older than the grace period are checked against Tarantool in one
 * call, and those no message references are removed. The grace period protects uploads whose record is still
 * being inserted.
 */
public final class OrphanSweeper {

    /** An object in the bucket. */
    public record StoredObject(String name, Instant lastModified, long size) {
    }

    /** The bucket side. */
    public interface Bucket {
        /** Lists every object, handing them over a page at a time (pages follow continuation tokens). */
        void forEachPage(Consumer<List<StoredObject>> page) throws Exception;

        void remove(String name) throws Exception;
    }

    /** The Tarantool side. */
    public interface References {
        /** Of {@code names}, those no message references. */
        List<String> unreferenced(List<String> names) throws Exception;
    }

    /** What one sweep did. */
    public record Result(long listed, long checked, List<String> removed) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(OrphanSweeper.class);

    private final Bucket bucket;
    private final References references;
    private final Duration grace;
    private final Clock clock;

    public OrphanSweeper(Bucket bucket, References references, Duration grace, Clock clock) {
        this.bucket = bucket;
        this.references = references;
        this.grace = grace;
        this.clock = clock;
    }

    public Result sweep() throws Exception {
        Instant cutoff = clock.instant().minus(grace);
        long[] counts = new long[2];
        List<String> removed = new ArrayList<>();
        Exception[] failure = new Exception[1];
        bucket.forEachPage(page -> {
            if (failure[0] != null) {
                return;
            }
            counts[0] += page.size();
            List<StoredObject> old = page.stream().filter(o -> o.lastModified().isBefore(cutoff)).toList();
            if (old.isEmpty()) {
                return;
            }
            counts[1] += old.size();
            try {
                Set<String> orphans = new HashSet<>(references.unreferenced(
                        old.stream().map(StoredObject::name).toList()));
                for (StoredObject object : old) {
                    if (orphans.contains(object.name())) {
                        bucket.remove(object.name());
                        removed.add(object.name());
                        LOG.info("Orphan sweep removed object {} ({} bytes, last modified {}): no message"
                                 + " references it", object.name(), object.size(), object.lastModified());
                    }
                }
            } catch (Exception e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        LOG.debug("Orphan sweep: {} objects listed, {} older than {} checked, {} removed", counts[0], counts[1],
                grace, removed.size());
        return new Result(counts[0], counts[1], List.copyOf(removed));
    }
}
