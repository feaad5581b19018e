package io.minitoolstream.devservices;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the Lua tap tests ({@code lua/test/[0-9]*.lua}) with the Tarantool binary test servers use
 * ({@code MTS_TARANTOOL} or {@code tarantool} on PATH), one dynamic test per file, so they are part of the Maven
 * test run.
 *
 * <p>Nothing a file starts outlives it, also when it fails or times out: its processes (the test and the
 * instances it spawns, which may be orphaned when the test dies) carry a marker variable and are all killed
 * afterwards, and its temp dirs ({@code TMPDIR}) live in the file's own directory, which is deleted. A JVM shutdown
 * hook does the same; if the JVM itself is killed, the test notices its parent is gone and stops with its
 * children, and the next run removes the directory.
 */
class LuaTapTest {

    private static final long TIMEOUT_SECONDS = 300;
    /** Inherited by everything a test file starts (helper.lua keeps non-MTS_ variables for its children). */
    static final String RUN_MARKER_ENV = "MINITOOLSTREAM_TEST_RUN";

    @TestFactory
    Stream<DynamicTest> luaTapTests() throws IOException {
        Path luaDir = LuaDir.locate();
        Path testDir = luaDir.resolve("test");
        List<Path> files;
        try (Stream<Path> listing = Files.isDirectory(testDir) ? Files.list(testDir) : Stream.empty()) {
            files = listing.filter(p -> p.getFileName().toString().matches("[0-9].*\\.lua"))
                    .sorted()
                    .collect(Collectors.toList());
        }
        if (files.isEmpty()) {
            // An empty run must not look like a passing one.
            fail("No Lua tap tests (lua/test/[0-9]*.lua) in " + testDir);
        }
        String binary = Executables.find(Executables.tarantool()).map(Path::toString).orElse(Executables.tarantool());
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(),
                file.toUri(), () -> run(binary, luaDir, file)));
    }

    private static void run(String binary, Path luaDir, Path file) throws Exception {
        // A fresh cwd per file: a test's box.cfg writes its snapshot and WAL there; its temp dirs go below it.
        Path cwd = TempDirs.create("minitoolstream-luatest-");
        Path tmp = Files.createDirectory(cwd.resolve("tmp"));
        String marker = cwd.getFileName().toString();
        Thread cleanupOnExit = new Thread(() -> {
            killMarked(marker);
            TempDirs.deleteQuietly(cwd);
        }, "luatest-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupOnExit);
        try {
            Path log = cwd.resolve("output.txt");
            ProcessBuilder builder = new ProcessBuilder(binary, file.toString())
                    .directory(cwd.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put(LuaDir.ENV, luaDir.toString());
            builder.environment().put("LUA_PATH", luaDir + "/?.lua;" + luaDir + "/?/init.lua;;");
            builder.environment().put("TMPDIR", tmp.toString());
            builder.environment().put(RUN_MARKER_ENV, marker);
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                killMarked(marker);
                fail(file.getFileName() + " did not finish within " + TIMEOUT_SECONDS + " s:\n" + read(log));
            }
            String output = read(log);
            List<String> lines = output.lines().map(String::stripLeading).collect(Collectors.toList());
            if (process.exitValue() != 0) {
                fail(file.getFileName() + " exited with code " + process.exitValue() + ":\n" + output);
            }
            if (lines.stream().anyMatch(line -> line.startsWith("not ok"))) {
                fail(file.getFileName() + " has failing tap lines:\n" + output);
            }
            if (lines.stream().anyMatch(line -> line.startsWith("# bad plan"))) {
                fail(file.getFileName() + " ran a different number of tests than planned:\n" + output);
            }
            if (lines.stream().noneMatch(line -> line.startsWith("ok ") || line.equals("ok"))) {
                fail(file.getFileName() + " ran no tap test:\n" + output);
            }
        } finally {
            // Children killed by the test just before it exited may take a moment to die: only what
            // is still there after a grace period counts as left behind.
            awaitMarkedGone(marker, 2_000);
            List<Long> leftovers = killMarked(marker);
            TempDirs.deleteQuietly(cwd);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
            } catch (IllegalStateException shuttingDown) {
                // The hook runs anyway.
            }
            if (!leftovers.isEmpty()) {
                fail(file.getFileName() + " left processes running (killed): " + leftovers);
            }
        }
    }

    /**
     * Kills (SIGKILL) every process of this user whose environment carries {@code marker}, orphans included, and
     * waits until they are gone. Returns their pids.
     */
    static List<Long> killMarked(String marker) {
        String needle = RUN_MARKER_ENV + "=" + marker;
        List<ProcessHandle> marked = ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid() && environmentContains(p.pid(), needle))
                .toList();
        marked.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : marked) {
            try {
                p.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception stillThere) {
                // Reported by pid below; nothing more to do.
            }
        }
        return marked.stream().map(ProcessHandle::pid).toList();
    }

    private static void awaitMarkedGone(String marker, long millis) throws InterruptedException {
        String needle = RUN_MARKER_ENV + "=" + marker;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline && ProcessHandle.allProcesses()
                .anyMatch(p -> p.pid() != ProcessHandle.current().pid() && environmentContains(p.pid(), needle))) {
            Thread.sleep(50);
        }
    }

    private static boolean environmentContains(long pid, String entry) {
        try {
            byte[] environ = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
            for (String variable : new String(environ, StandardCharsets.UTF_8).split("\0")) {
                if (variable.equals(entry)) {
                    return true;
                }
            }
            return false;
        } catch (IOException | SecurityException notReadable) {
            return false; // gone meanwhile, or another user's
        }
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }
}
