package io.minitoolstream.benchmarks;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * Heap and RSS peaks of this JVM: heap used sampled every 2 ms (includes garbage not yet collected), heap used right
 * after each GC (what was live), the heap pools' own peak counters, and the kernel's peak RSS (VmHWM).
 */
final class MemoryWatch implements AutoCloseable {

    private static final long SAMPLE_MILLIS = 2;

    private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
    private final Set<String> heapPoolNames = heapPools.stream().map(MemoryPoolMXBean::getName)
            .collect(Collectors.toSet());
    private final AtomicLong sampledPeak = new AtomicLong();
    private final AtomicLong afterGcPeak = new AtomicLong();
    private final NotificationListener gcListener = (notification, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                    (CompositeData) notification.getUserData());
            long used = 0;
            for (var entry : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (heapPoolNames.contains(entry.getKey())) {
                    used += entry.getValue().getUsed();
                }
            }
            afterGcPeak.accumulateAndGet(used, Math::max);
        }
    };
    private final Thread sampler;
    private volatile boolean running = true;

    MemoryWatch() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(gcListener, null, null);
            }
        }
        sampler = new Thread(() -> {
            while (running) {
                sampledPeak.accumulateAndGet(heapUsed(), Math::max);
                try {
                    Thread.sleep(SAMPLE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static long heapMax() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
    }

    void resetPeaks() {
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        sampledPeak.set(heapUsed());
        afterGcPeak.set(0);
    }

    long sampledPeak() {
        return Math.max(sampledPeak.get(), heapUsed());
    }

    long afterGcPeak() {
        return afterGcPeak.get();
    }

    /** Sum of the heap pools' peak usage since the last reset (an upper bound: pools peak at different times). */
    long poolPeakSum() {
        return heapPools.stream().map(MemoryPoolMXBean::getPeakUsage).mapToLong(MemoryUsage::getUsed).sum();
    }

    /** A line of /proc/self/status in bytes (VmHWM: peak RSS; VmRSS: current RSS); -1 when unavailable. */
    static long procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                try {
                    emitter.removeNotificationListener(gcListener);
                } catch (Exception ignored) {
                    // not registered
                }
            }
        }
    }
}
