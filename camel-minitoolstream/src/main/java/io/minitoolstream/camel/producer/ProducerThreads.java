package io.minitoolstream.camel.producer;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.util.concurrent.CamelThreadFactory;

/**
 * The producer's threads: uploads and every exchange's continuation run here, never on the Tarantool driver's I/O
 * threads. Camel's pools run rejected tasks on the caller (CallerRuns), which for a continuation is a driver
 * thread, and bound their queues; this pool's queue is unbounded, so a saturated producer queues work instead of
 * handing it back. A task that arrives after the pool was shut down (an exchange accepted before the producer
 * stopped whose store call completes later) runs on the common pool, so its exchange still completes.
 */
final class ProducerThreads implements Executor {

    private static final int DEFAULT_SIZE = 20;
    private static final long DRAIN_SECONDS = 30;

    private final ExecutorService pool;

    ProducerThreads(CamelContext camelContext, String name) {
        // as many threads as Camel's default pool may grow to
        Integer configured = camelContext.getExecutorServiceManager().getDefaultThreadPoolProfile().getMaxPoolSize();
        int size = configured == null || configured < 1 ? DEFAULT_SIZE : configured;
        String pattern = camelContext.getExecutorServiceManager().getThreadNamePattern();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new CamelThreadFactory(pattern, name, true));
        executor.allowCoreThreadTimeOut(true);
        this.pool = executor;
    }

    @Override
    public void execute(Runnable task) {
        try {
            pool.execute(task);
        } catch (RejectedExecutionException e) {
            ForkJoinPool.commonPool().execute(task);
        }
    }

    /** Refuses new work (it goes to the common pool from now on) and lets queued work finish. */
    void shutdown() throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
            pool.shutdownNow();
        }
    }
}
