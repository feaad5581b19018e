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
 * Runs the Lua tap tests ({@code lua/test/[0-9]*.lua}) with the {@code tarantool} binary, one
 * dynamic test per file, so they are part of the Maven test run.
 */
class LuaTapTest {

    private static final long TIMEOUT_SECONDS = 300;

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
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(),
                file.toUri(), () -> run(luaDir, file)));
    }

    private static void run(Path luaDir, Path file) throws Exception {
        // A fresh cwd per file: a test's box.cfg writes its snapshot and WAL there.
        Path cwd = Files.createTempDirectory("minitoolstream-luatest-");
        try {
            Path log = cwd.resolve("output.txt");
            ProcessBuilder builder = new ProcessBuilder("tarantool", file.toString())
                    .directory(cwd.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put(LuaDir.ENV, luaDir.toString());
            builder.environment().put("LUA_PATH", luaDir + "/?.lua;" + luaDir + "/?/init.lua;;");
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
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
            TempDirs.deleteQuietly(cwd);
        }
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }
}
