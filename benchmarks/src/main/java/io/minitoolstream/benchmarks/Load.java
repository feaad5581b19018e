package io.minitoolstream.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Throughput drivers. Load runs continuously: a warm-up window, then consecutive measured windows, each giving
 * one rate (operations completed in the window / window length).
 */
final class Load {

    private static final long JOIN_MILLIS = 30_000;

    private Load() {
    }

    /** One blocking operation; {@code worker} is the calling worker's index. */
    interface Op {
        void run(int worker) throws Exception;
    }

    /** One asynchronous operation: started here, done when the future completes. */
    interface AsyncOp {
        CompletableFuture<?> start() throws Exception;
    }

    /** Rates of the measured windows (ops/s), and the errors seen during the whole load. */
    record Outcome(List<Double> rates, long errors, String firstError) {

        double median() {
            return Stats.median(rates);
        }
    }

    /** A side of a comparison: {@code threads} workers calling {@code op}. */
    record Contender(String name, int threads, Op op) {
    }

    /**
     * Measures the contenders in alternation, one window each per round (A B A B ...), so JIT warm-up that is
     * still going on and load from other processes fall on all sides alike. Round 0 is a long warm-up per
     * contender; every later window starts its workers with a short ramp ({@code timing.warmup()}) that is not
     * counted.
     */
    static java.util.Map<String, Outcome> interleaved(List<Contender> contenders, Timing timing,
                                                      java.time.Duration firstWarmup) {
        java.util.Map<String, List<Double>> rates = new java.util.LinkedHashMap<>();
        java.util.Map<String, long[]> errors = new java.util.LinkedHashMap<>();
        java.util.Map<String, String> firstErrors = new java.util.LinkedHashMap<>();
        for (Contender contender : contenders) {
            rates.put(contender.name(), new ArrayList<>());
            errors.put(contender.name(), new long[1]);
        }
        for (int round = 0; round <= timing.runs(); round++) {
            for (Contender contender : contenders) {
                Timing window = round == 0 ? new Timing(firstWarmup, 1, java.time.Duration.ofMillis(1))
                        : timing.withRuns(1);
                Outcome outcome = closedLoop(contender.name(), contender.threads(), window, contender.op());
                if (round > 0) {
                    rates.get(contender.name()).add(outcome.rates().get(0));
                    Log.info("  round %d %s: %.0f/s", round, contender.name(), outcome.rates().get(0));
                }
                errors.get(contender.name())[0] += outcome.errors();
                if (outcome.firstError() != null) {
                    firstErrors.putIfAbsent(contender.name(), outcome.firstError());
                }
            }
        }
        java.util.Map<String, Outcome> result = new java.util.LinkedHashMap<>();
        for (Contender contender : contenders) {
            result.put(contender.name(), new Outcome(rates.get(contender.name()), errors.get(contender.name())[0],
                    firstErrors.get(contender.name())));
        }
        return result;
    }

    /** {@code threads} workers each call {@code op} in a loop (closed loop: one operation in flight per worker). */
    static Outcome closedLoop(String name, int threads, Timing timing, Op op) {
        LongAdder done = new LongAdder();
        LongAdder errors = new LongAdder();
        AtomicReference<String> firstError = new AtomicReference<>();
        Thread[] workers = new Thread[threads];
        Flag stop = new Flag();
        for (int i = 0; i < threads; i++) {
            int worker = i;
            workers[i] = new Thread(() -> {
                while (!stop.raised) {
                    try {
                        op.run(worker);
                        done.increment();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } catch (Exception e) {
                        errors.increment();
                        firstError.compareAndSet(null, describe(e));
                        if (errors.sum() > 1_000 && done.sum() == 0) {
                            return; // nothing works: do not spin
                        }
                    }
                }
            }, name + "-" + i);
            workers[i].setDaemon(true);
        }
        for (Thread worker : workers) {
            worker.start();
        }
        try {
            return new Outcome(windows(timing, done), errors.sum(), firstError.get());
        } finally {
            stop.raised = true;
            for (Thread worker : workers) {
                try {
                    worker.join(JOIN_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** One thread keeps {@code inFlight} asynchronous operations outstanding. */
    static Outcome inFlight(String name, int inFlight, Timing timing, AsyncOp op) {
        LongAdder done = new LongAdder();
        LongAdder errors = new LongAdder();
        AtomicReference<String> firstError = new AtomicReference<>();
        Semaphore permits = new Semaphore(inFlight);
        Flag stop = new Flag();
        Thread issuer = new Thread(() -> {
            while (!stop.raised) {
                try {
                    if (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                } catch (InterruptedException e) {
                    return;
                }
                CompletableFuture<?> future;
                try {
                    future = op.start();
                } catch (Exception e) {
                    permits.release();
                    errors.increment();
                    firstError.compareAndSet(null, describe(e));
                    continue;
                }
                future.whenComplete((ignored, failure) -> {
                    if (failure == null) {
                        done.increment();
                    } else {
                        errors.increment();
                        firstError.compareAndSet(null, describe(failure));
                    }
                    permits.release();
                });
            }
        }, name + "-issuer");
        issuer.setDaemon(true);
        issuer.start();
        try {
            return new Outcome(windows(timing, done), errors.sum(), firstError.get());
        } finally {
            stop.raised = true;
            try {
                issuer.join(JOIN_MILLIS);
                // let the outstanding operations finish before the next load starts
                permits.tryAcquire(inFlight, JOIN_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static List<Double> windows(Timing timing, LongAdder done) {
        sleep(timing.warmup().toMillis());
        List<Double> rates = new ArrayList<>();
        for (int run = 0; run < timing.runs(); run++) {
            long startCount = done.sum();
            long start = System.nanoTime();
            sleep(timing.window().toMillis());
            long count = done.sum() - startCount;
            double seconds = (System.nanoTime() - start) / 1e9;
            rates.add(count / seconds);
        }
        return rates;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root
                && (root instanceof java.util.concurrent.CompletionException
                    || root instanceof java.util.concurrent.ExecutionException
                    || root instanceof org.apache.camel.CamelExecutionException)) {
            root = root.getCause();
        }
        String text = root.getClass().getSimpleName() + ": " + root.getMessage();
        return text.length() > 300 ? text.substring(0, 300) + " ..." : text;
    }

    private static final class Flag {
        volatile boolean raised;
    }
}
