package io.minitoolstream.camel;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;

/**
 * Evidence that consumers have looked: counts each consumer's completed polls. Bound in a context's registry and
 * named in a consumer URI ({@code pollStrategy=#name}); it behaves as Camel's default strategy (a failed poll
 * still goes to the consumer's exception handler). A "nothing was delivered" check waits for polls first, so it
 * cannot pass only because the consumer has not polled yet.
 */
final class PollCounter implements PollingConsumerPollStrategy {

    private final Map<Consumer, AtomicInteger> completed = new ConcurrentHashMap<>();

    /** A counter bound as {@code name} in {@code camel}'s registry; add {@code pollStrategy=#name} to the URI. */
    static PollCounter boundIn(CamelContext camel, String name) {
        PollCounter counter = new PollCounter();
        camel.getRegistry().bind(name, counter);
        return counter;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        completed.computeIfAbsent(consumer, c -> new AtomicInteger());
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        completed.computeIfAbsent(consumer, c -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        completed.computeIfAbsent(consumer, c -> new AtomicInteger()).incrementAndGet();
        return false;
    }

    /** Polls attempted so far by every consumer using this counter (succeeded or failed). */
    int attempts() {
        return completed.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /**
     * Waits until at least {@code consumers} consumers use this counter and each has completed {@code polls} more
     * polls than when this was called: whatever their polls would deliver has been delivered by then.
     */
    void awaitPolls(int consumers, int polls, long timeoutMillis) throws InterruptedException {
        Map<Consumer, Integer> before = new HashMap<>();
        completed.forEach((consumer, count) -> before.put(consumer, count.get()));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (completed.size() < consumers || completed.entrySet().stream()
                .anyMatch(e -> e.getValue().get() < before.getOrDefault(e.getKey(), 0) + polls)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + polls + " more polls of " + consumers
                                         + " consumer(s); completed polls: " + completed.values());
            }
            Thread.sleep(10);
        }
    }

    /**
     * {@link #awaitPolls(int, int, long)} for one consumer, two polls, 10 s: the second of them started after this
     * call, even when one was under way at the call.
     */
    void awaitTwoPolls() throws InterruptedException {
        awaitPolls(1, 2, 10_000);
    }
}
