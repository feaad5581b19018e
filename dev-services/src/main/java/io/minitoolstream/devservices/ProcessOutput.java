package io.minitoolstream.devservices;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;

/**
 * Drains a child process's (merged) output on a daemon thread: each line goes to an SLF4J logger
 * at debug and into a bounded tail kept for error messages. A child whose pipe is not drained
 * blocks once the pipe buffer fills, so this must run for the whole life of the process.
 */
final class ProcessOutput {

    static final int TAIL_LINES = 200;

    private final Deque<String> tail = new ArrayDeque<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private final String readyPrefix;
    private final List<String> secrets;
    private final Logger log;

    private ProcessOutput(String readyPrefix, Collection<String> secrets, Logger log) {
        this.readyPrefix = readyPrefix;
        this.secrets = secrets.stream().filter(s -> s != null && !s.isEmpty()).toList();
        this.log = log;
    }

    /**
     * Starts pumping {@code in}; {@code secret}, if it ever shows up in the output, is masked
     * before the line is logged or kept.
     */
    static ProcessOutput pump(InputStream in, String threadName, String readyPrefix, String secret, Logger log) {
        return pump(in, threadName, readyPrefix, secret == null ? List.of() : List.of(secret), log);
    }

    /** As {@link #pump(InputStream, String, String, String, Logger)}, masking each of {@code secrets}. */
    static ProcessOutput pump(InputStream in, String threadName, String readyPrefix, Collection<String> secrets,
            Logger log) {
        ProcessOutput output = new ProcessOutput(readyPrefix, secrets, log);
        Thread thread = new Thread(() -> output.run(in), threadName);
        thread.setDaemon(true);
        thread.start();
        return output;
    }

    private void run(InputStream in) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                accept(line);
            }
        } catch (IOException e) {
            // The stream closes when the process is killed; that is the normal end.
        } finally {
            ended.countDown();
        }
    }

    private void accept(String raw) {
        String line = raw;
        for (String secret : secrets) {
            line = line.replace(secret, "****");
        }
        log.debug("{}", line);
        synchronized (tail) {
            if (tail.size() == TAIL_LINES) {
                tail.removeFirst();
            }
            tail.addLast(line);
        }
        if (line.startsWith(readyPrefix)) {
            ready.countDown();
        }
    }

    /** Waits up to {@code millis} for the ready line; false on timeout. */
    boolean awaitReady(long millis) throws InterruptedException {
        return ready.await(millis, TimeUnit.MILLISECONDS);
    }

    boolean isReady() {
        return ready.getCount() == 0;
    }

    /** Waits (briefly) until the stream is fully read, so the tail is complete after an exit. */
    void awaitEnd(long millis) throws InterruptedException {
        ended.await(millis, TimeUnit.MILLISECONDS);
    }

    /** The last {@value #TAIL_LINES} lines, newline-separated. */
    String tail() {
        synchronized (tail) {
            return String.join(System.lineSeparator(), tail);
        }
    }
}
