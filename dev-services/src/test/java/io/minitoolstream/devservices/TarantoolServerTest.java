package io.minitoolstream.devservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The real lua/init.lua under a real Tarantool. */
@ExtendWith(DevServicesExtension.class)
class TarantoolServerTest {

    @Test
    void greetsAndServesTheApplicationUser(TarantoolServer shared) throws Exception {
        assertThat(greeting(shared.port())).startsWith("Tarantool");
        assertThat(shared.address()).isEqualTo("127.0.0.1:" + shared.port());
        assertThat(shared.host()).isEqualTo("127.0.0.1");
        assertThat(shared.username()).isEqualTo(TarantoolServer.DEFAULT_USER);
        assertThat(Long.parseLong(TarantoolCli.eval(shared, "return (...):call('get_schema_version')")))
                .isPositive();
    }

    @Test
    void passwordIsRandomPerServerAndNeverShown(TarantoolServer shared) {
        TarantoolServer other = new TarantoolServer();
        assertThat(shared.password()).hasSizeGreaterThanOrEqualTo(20).isNotEqualTo(other.password());
        assertThat(shared.toString()).contains(shared.address()).doesNotContain(shared.password());
        assertThat(shared.outputTail()).doesNotContain(shared.password());
        other.close();
    }

    @Test
    void pauseFreezesTheProcessUntilResume(TarantoolServer shared) throws Exception {
        shared.suspend();
        try (Socket socket = new Socket(shared.host(), shared.port())) {
            socket.setSoTimeout(500);
            // The kernel accepts the connection, but the frozen process sends no greeting.
            assertThatThrownBy(() -> socket.getInputStream().read())
                    .isInstanceOf(java.net.SocketTimeoutException.class);
        } finally {
            shared.resume();
        }
        assertThat(greeting(shared.port())).startsWith("Tarantool");
    }

    @Test
    void restartKeepsPortAndData() throws Exception {
        try (TarantoolServer server = TarantoolServer.builder().build().start()) {
            int port = server.port();
            Path dataDir = server.dataDir();
            TarantoolCli.publish(server, "restart");
            long sequence = TarantoolCli.publish(server, "restart");

            server.restart();

            assertThat(server.isRunning()).isTrue();
            assertThat(server.port()).isEqualTo(port);
            assertThat(server.dataDir()).isEqualTo(dataDir);
            assertThat(greeting(port)).startsWith("Tarantool");
            assertThat(TarantoolCli.latestSequence(server, "restart")).isEqualTo(sequence);
            assertThat(TarantoolCli.publish(server, "restart")).isGreaterThan(sequence);
        }
    }

    @Test
    void killThenStartRecoversFromTheLog() throws Exception {
        try (TarantoolServer server = TarantoolServer.builder().build().start()) {
            long sequence = TarantoolCli.publish(server, "crash");

            server.kill();
            assertThat(server.isRunning()).isFalse();
            assertThat(Net.accepts(server.port())).isFalse();

            server.start();
            assertThat(TarantoolCli.latestSequence(server, "crash")).isEqualTo(sequence);
        }
    }

    @Test
    void closeDeletesOnlyATempDataDir(@TempDir Path given) throws Exception {
        TarantoolServer temp = TarantoolServer.builder().build().start();
        Path tempDir = temp.dataDir();
        temp.close();
        assertThat(temp.isRunning()).isFalse();
        assertThat(tempDir).doesNotExist();

        Path dataDir = given.resolve("data");
        try (TarantoolServer kept = TarantoolServer.builder().dataDir(dataDir).build().start()) {
            assertThat(kept.dataDir()).isEqualTo(dataDir);
        }
        try (var files = Files.list(dataDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(name -> name.endsWith(".snap"));
        }
    }

    @Test
    void adminConsoleRunsLuaAsAdmin(TarantoolServer shared) throws Exception {
        assertThat(shared.adminEval("return box.info.ro")).isEqualTo("---\n- false\n...\n");
        assertThat(shared.adminEval("local a = 40\n-- a comment, \"quotes\" and \\ backslash\nreturn a + 2, 'ü'"))
                .contains("- 42\n").contains("ü");
        assertThat(shared.adminEval("return box.session.user()")).contains("- admin");
        assertThatThrownBy(() -> shared.adminEval("error('boom: it\\'s broken')"))
                .isInstanceOf(DevServicesException.class)
                .hasMessageContaining("boom: it's broken");
        assertThatThrownBy(() -> shared.adminEval("return +"))
                .isInstanceOf(DevServicesException.class);
        Path socket = shared.adminSocket();
        assertThat(socket.getFileName().toString()).isEqualTo("admin.sock");
        assertThat(Files.getPosixFilePermissions(socket))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    }

    @Test
    void adminConsoleSurvivesRestartAndLongDataDirs(@TempDir Path given) throws Exception {
        Path deep = given.resolve("a-rather-long-directory-name-for-a-unix-socket".repeat(2)).resolve("data");
        try (TarantoolServer server = TarantoolServer.builder().dataDir(deep).build().start()) {
            assertThat(server.adminSocket().toString().length()).isLessThanOrEqualTo(107);
            assertThat(server.adminSocket().startsWith(deep)).isFalse();
            server.kill(); // leaves the socket file behind
            server.start();
            assertThat(server.adminEval("return 1 + 1")).contains("- 2");
        }
        try (TarantoolServer off = TarantoolServer.builder().adminConsole(false).build().start()) {
            assertThatThrownBy(off::adminSocket).isInstanceOf(IllegalStateException.class);
            assertThat(off.dataDir().resolve("admin.sock")).doesNotExist();
        }
    }

    private static String greeting(int port) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }
}
