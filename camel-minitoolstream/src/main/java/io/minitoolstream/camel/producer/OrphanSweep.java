package io.minitoolstream.camel.producer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.minitoolstream.camel.store.PayloadStore;
import io.minitoolstream.camel.store.StoredObject;
import io.minitoolstream.camel.store.StreamStore;
import io.minitoolstream.camel.support.Futures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code sweepOrphans} operation: removes payload objects that no message references (left when a publish
 * failed after its upload and the object could not be deleted, or when a message was deleted but its object was
 * not). The bucket is listed page by page; of each page, the objects older than the grace period are checked
 * against Tarantool in one call, and those no message references are removed. The grace period protects uploads
 * whose record is still being inserted. Uses the component's shared clients.
 */
final class OrphanSweep {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanSweep.class);
    /** Objects per listing page, and per Tarantool question (the Lua side takes up to 1000). */
    static final int PAGE_SIZE = 1000;

    private final StreamStore streams;
    private final PayloadStore payloads;
    private final Clock clock;
    private final long timeoutMillis;

    OrphanSweep(StreamStore streams, PayloadStore payloads, Clock clock, long timeoutMillis) {
        this.streams = streams;
        this.payloads = payloads;
        this.clock = clock;
        this.timeoutMillis = timeoutMillis;
    }

    /** Runs one sweep on the calling thread; returns the names of the objects it removed. */
    List<String> sweep(Duration grace, int pageSize) {
        Instant cutoff = clock.instant().minus(grace);
        List<String> removed = new ArrayList<>();
        long[] listed = new long[1];
        payloads.forEachObjectPage(pageSize, page -> {
            listed[0] += page.size();
            List<String> old = page.stream().filter(o -> o.lastModified().isBefore(cutoff)).map(StoredObject::name)
                    .toList();
            if (old.isEmpty()) {
                return;
            }
            Set<String> orphans = new HashSet<>(unreferenced(old));
            for (StoredObject object : page) {
                if (orphans.contains(object.name())) {
                    payloads.delete(object.name());
                    removed.add(object.name());
                    LOG.info("Orphan sweep removed object {} ({} bytes, last modified {}): no message references it",
                            object.name(), object.size(), object.lastModified());
                }
            }
        });
        LOG.debug("Orphan sweep: {} objects listed, {} removed (grace {})", listed[0], removed.size(), grace);
        return removed;
    }

    private List<String> unreferenced(List<String> names) {
        try {
            return streams.unreferencedObjects(names).get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking Tarantool for unreferenced objects", e);
        } catch (Exception e) {
            throw Futures.unchecked(e);
        }
    }
}
