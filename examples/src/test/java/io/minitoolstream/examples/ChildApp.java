package io.minitoolstream.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The examples application in its own JVM (this test's class path), started with a chosen environment. It ends with
 * the test: {@link #close()} (also from a shutdown hook, should the test JVM exit first) kills it and whatever it
 * started.
 */
final class ChildApp implements AutoCloseable {

    final Process process;
    final List<String> output = new CopyOnWriteArrayList<>();
    private final Thread killer;

    private ChildApp(Process process) {
        this.process = process;
        Thread reader = new Thread(this::readLines, "child-app-output");
        reader.setDaemon(true);
        reader.start();
        killer = new Thread(this::kill, "child-app-killer");
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /** {@code environment} edits the inherited environment (from which MiniToolStream's own keys were removed). */
    static ChildApp start(Path workDir, Consumer<Map<String, String>> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), ExamplesApplication.class.getName())
                .directory(workDir.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("CAMEL_") || name.startsWith("MINITOOLSTREAM_")
                                      || name.startsWith("MTS_"));
        environment.accept(env);
        return new ChildApp(builder.start());
    }

    /** Waits until a line contains {@code text}; false when the process ended or the time ran out first. */
    boolean awaitOutput(String text, Duration timeout) throws InterruptedException {
        return SubscribeTest.waitUntil(() -> contains(text) || !process.isAlive(), timeout) && contains(text);
    }

    boolean contains(String text) {
        return output.stream().anyMatch(line -> line.contains(text));
    }

    String outputText() {
        return String.join("\n", output);
    }

    @Override
    public void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }

    private void kill() {
        List<ProcessHandle> descendants = process.toHandle().descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    private void readLines() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    static Duration seconds(long seconds) {
        return Duration.ofSeconds(seconds);
    }
}
