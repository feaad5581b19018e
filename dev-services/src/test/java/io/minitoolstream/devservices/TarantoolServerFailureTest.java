package io.minitoolstream.devservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up failures, with stand-in init.lua scripts so they do not depend on the real Lua. */
class TarantoolServerFailureTest {

    @TempDir
    Path luaDir;

    @Test
    void missingBinaryOnPathSaysHowToInstall() {
        TarantoolServer server = TarantoolServer.builder().binary("no-such-tarantool-binary").build();
        assertThatThrownBy(server::start)
                .isInstanceOf(DevServicesException.class)
                .hasMessageContaining("no-such-tarantool-binary")
                .hasMessageContaining("apt-get install tarantool");
        assertThat(server.isRunning()).isFalse();
        server.close();
    }

    @Test
    void missingBinaryPathSaysHowToInstall() {
        TarantoolServer server = TarantoolServer.builder().binary("/nonexistent/bin/tarantool").build();
        assertThatThrownBy(server::start)
                .isInstanceOf(DevServicesException.class)
                .hasMessageContaining("/nonexistent/bin/tarantool")
                .hasMessageContaining("apt-get install tarantool");
        server.close();
    }

    @Test
    void luaDirWithoutInitIsRejected() {
        TarantoolServer server = TarantoolServer.builder().luaDir(luaDir).build();
        assertThatThrownBy(server::start)
                .isInstanceOf(DevServicesException.class)
                .hasMessageContaining("has no init.lua");
        server.close();
    }

    @Test
    void earlyExitReportsCodeAndOutputWithPasswordMasked() throws IOException {
        writeInit("print('fake init for ' .. os.getenv('MTS_USER') .. ' pw=' .. os.getenv('MTS_PASSWORD'))\n"
                + "io.stdout:flush()\n"
                + "os.exit(3)\n");
        TarantoolServer server = TarantoolServer.builder().luaDir(luaDir).username("alice").build();
        try {
            assertThatThrownBy(server::start)
                    .isInstanceOf(DevServicesException.class)
                    .hasMessageContaining("exited with code 3")
                    .hasMessageContaining("fake init for alice pw=****")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(server.password()));
            assertThat(server.isRunning()).isFalse();
        } finally {
            server.close();
        }
    }

    @Test
    void timeoutReportsOutputAndKillsTheProcess() throws IOException {
        writeInit("print('listening on ' .. os.getenv('MTS_LISTEN') .. ' but never ready')\n"
                + "io.stdout:flush()\n"
                + "require('fiber').sleep(60)\n");
        TarantoolServer server = TarantoolServer.builder().luaDir(luaDir)
                .startupTimeout(Duration.ofMillis(1500)).build();
        try {
            long started = System.nanoTime();
            assertThatThrownBy(server::start)
                    .isInstanceOf(DevServicesException.class)
                    .hasMessageContaining("not ready within 1500 ms")
                    .hasMessageContaining("but never ready");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            assertThat(server.isRunning()).isFalse();
        } finally {
            server.close();
        }
    }

    @Test
    void environmentCarriesTheContract() throws IOException {
        // A stand-in that checks every MTS_* variable, then reports ready and listens like the real one.
        writeInit("local function need(n) local v = os.getenv(n); assert(v and v ~= '', n); return v end\n"
                + "assert(need('MTS_DEV') == '1' and need('MTS_EXIT_WITH_PARENT') == '1')\n"
                + "assert(need('MTS_MEMTX_MEMORY') == tostring(64 * 1024 * 1024))\n"
                + "need('MTS_USER'); need('MTS_PASSWORD')\n"
                + "assert(need('MTS_ADMIN_SOCKET') == require('fio').pathjoin(need('MTS_DATA_DIR'), 'admin.sock'))\n"
                + "assert(need('MTS_DATA_DIR') == require('fio').cwd())\n"
                + "box.cfg{listen = need('MTS_LISTEN'), work_dir = need('MTS_DATA_DIR'), log_level = 2}\n"
                + "print('MiniToolStream ready on ' .. need('MTS_LISTEN'))\n"
                + "io.stdout:flush()\n");
        try (TarantoolServer server = TarantoolServer.builder().luaDir(luaDir)
                .memtxMemory(64L * 1024 * 1024).build().start()) {
            assertThat(server.isRunning()).isTrue();
            assertThat(server.outputTail()).contains("MiniToolStream ready on " + server.address());
        }
    }

    private void writeInit(String lua) throws IOException {
        Files.writeString(luaDir.resolve("init.lua"), lua);
    }
}
