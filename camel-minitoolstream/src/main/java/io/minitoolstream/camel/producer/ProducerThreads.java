package io.minitoolstream.camel.producer;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;

/**
 * The producer's threads: uploads and every exchange's continuation run here, never on the Tarantool driver's I/O
 * threads. Camel's default pool runs rejected tasks on the caller, which for a continuation is a driver thread,
 * so this pool's queue is unbounded (a saturated producer queues, it does not hand work back), and a task that
 * arrives after the pool was shut down (an exchange accepted before the producer stopped whose store call
 * completes later) runs on the common pool, so its exchange still completes.
 */
final class ProducerThreads implements Executor {

    private final ExecutorServiceManager manager;
    private final ExecutorService pool;

    ProducerThreads(CamelContext camelContext, Object source, String name) {
        this.manager = camelContext.getExecutorServiceManager();
        ThreadPoolProfile defaults = manager.getDefaultThreadPoolProfile();
        ThreadPoolProfile profile = defaults.clone();
        profile.setId(name);
        profile.setMaxQueueSize(-1);
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
        this.pool = manager.newThreadPool(source, name, profile);
    }

    @Override
    public void execute(Runnable task) {
        try {
            pool.execute(task);
        } catch (RejectedExecutionException e) {
            ForkJoinPool.commonPool().execute(task);
        }
    }

    /** Lets queued work finish (Camel's graceful shutdown), then refuses new work to the common pool. */
    void shutdown() {
        manager.shutdownGraceful(pool);
    }
}
