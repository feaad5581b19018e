package io.minitoolstream.camel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.minio.BucketExistsArgs;
import io.minio.ListObjectsArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;
import io.minitoolstream.devservices.GeneratedStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "A large payload is never loaded into memory": a 300 MB generated stream is published and consumed by a JVM
 * whose heap is 64 MB ({@link LargePayloadMain}, forked against the servers this test run started). Reading the
 * payload into a byte array anywhere on either path runs that JVM out of memory, which ends it at once
 * ({@code -XX:+ExitOnOutOfMemoryError}). The fork is killed when the test ends, whatever happened.
 */
class LargePayloadMemoryTest extends ComponentTestSupport {

    private static final long LENGTH = 300L * 1024 * 1024;
    private static final long SEED = 300;
    private static final long TIMEOUT_SECONDS = 300;

    @TempDir
    Path workDir;

    @Test
    void a300MbStreamIsPublishedAndConsumedWithA64MbHeap() throws Exception {
        Path output = workDir.resolve("fork.out");
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"),
                LargePayloadMain.class.getName(), subject, Long.toString(LENGTH), Long.toString(SEED))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        env.put("MTS_TEST_ADDRESSES", services.tarantool().address());
        env.put("MTS_TEST_USERNAME", services.tarantool().username());
        env.put("MTS_TEST_PASSWORD", services.tarantool().password());
        env.put("MTS_TEST_S3_ENDPOINT", services.s3().endpoint());
        env.put("MTS_TEST_S3_ACCESS_KEY", services.s3().accessKey());
        env.put("MTS_TEST_S3_SECRET_KEY", services.s3().secretKey());

        String expected = GeneratedStream.sha256Of(LENGTH, SEED);
        Process fork = builder.start();
        try {
            boolean ended = fork.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String log = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(ended).as("the fork ended within %d s; its output:%n%s", TIMEOUT_SECONDS, tail(log)).isTrue();
            assertThat(fork.exitValue()).as("the fork's exit code (3: out of memory); its output:%n%s", tail(log))
                    .isZero();
            List<String> lines = log.lines().toList();
            assertThat(lines).contains("published " + expected + " " + LENGTH, "consumed " + expected + " " + LENGTH);
        } finally {
            fork.destroyForcibly();
            fork.waitFor(10, TimeUnit.SECONDS);
            removeObjectsOf(subject);
        }
    }

    private static String tail(String log) {
        return log.length() <= 6000 ? log : "..." + log.substring(log.length() - 6000);
    }

    /** The 300 MB object would otherwise stay in the shared S3 server's directory until the run ends. */
    private static void removeObjectsOf(String subject) throws Exception {
        if (!minio().bucketExists(BucketExistsArgs.builder().bucket("minitoolstream").build())) {
            return; // the fork failed before its first upload
        }
        for (Result<Item> item : minio().listObjects(ListObjectsArgs.builder().bucket("minitoolstream")
                .prefix(subject + "/").recursive(true).build())) {
            minio().removeObject(RemoveObjectArgs.builder().bucket("minitoolstream").object(item.get().objectName())
                    .build());
        }
    }
}
