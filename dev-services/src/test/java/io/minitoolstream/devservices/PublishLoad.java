package io.minitoolstream.devservices;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Publishes to one server from a {@code tarantool} client process with several fibers, as fast as
 * it can, until a call fails (e.g. the server died). Every acknowledged sequence is recorded, so a
 * failover test can check which of them survived.
 */
final class PublishLoad implements AutoCloseable {

    private static final String CLIENT = String.join("\n",
            "local fiber = require('fiber')",
            "local conn = require('net.box').connect(os.getenv('T_ADDR'),",
            "    {user = os.getenv('T_USER'), password = os.getenv('T_PASSWORD'), wait_connected = 10})",
            "local subject = os.getenv('T_SUBJECT')",
            "local fibers = tonumber(os.getenv('T_FIBERS'))",
            "local headers = setmetatable({}, {__serialize = 'map'})",
            "local done = fiber.channel(fibers)",
            "for _ = 1, fibers do",
            "    fiber.create(function()",
            "        while true do",
            "            local ok, seq = pcall(conn.call, conn, 'publish_record',",
            "                {subject, box.NULL, headers, 'x', 1, box.NULL})",
            "            if not ok then",
            "                io.stdout:write('error ', (tostring(seq):gsub('\\n', ' ')), '\\n')",
            "                io.stdout:flush()",
            "                break",
            "            end",
            "            io.stdout:write('ack ', tostring(seq), '\\n')",
            "            io.stdout:flush()",
            "        end",
            "        done:put(true)",
            "    end)",
            "end",
            "for _ = 1, fibers do done:get() end",
            "os.exit(0)");

    private final Process process;
    private final Path script;
    private final Thread reader;
    private final Set<Long> acked = ConcurrentHashMap.newKeySet();
    private final List<String> errors = new ArrayList<>();

    private PublishLoad(Process process, Path script) {
        this.process = process;
        this.script = script;
        this.reader = new Thread(this::read, "publish-load");
        reader.setDaemon(true);
        reader.start();
    }

    static PublishLoad start(TarantoolServer server, String username, String password, String subject, int fibers)
            throws IOException {
        Path script = Files.createTempFile("minitoolstream-load-", ".lua");
        Files.writeString(script, CLIENT);
        ProcessBuilder builder = new ProcessBuilder("tarantool", script.toString()).redirectErrorStream(true);
        builder.environment().put("T_ADDR", server.address());
        builder.environment().put("T_USER", username);
        builder.environment().put("T_PASSWORD", password);
        builder.environment().put("T_SUBJECT", subject);
        builder.environment().put("T_FIBERS", Integer.toString(fibers));
        return new PublishLoad(builder.start(), script);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    acked.add(Long.parseLong(line.substring(4).strip()));
                } else {
                    synchronized (errors) {
                        errors.add(line);
                    }
                }
            }
        } catch (IOException e) {
            // The process ended.
        }
    }

    /** Waits until at least {@code count} writes were acknowledged. */
    void awaitAcked(int count, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (acked.size() < count) {
            if (System.currentTimeMillis() > deadline || !process.isAlive() && !reader.isAlive()) {
                throw new IllegalStateException("only " + acked.size() + " writes acknowledged; output: " + errors());
            }
            Thread.sleep(10);
        }
    }

    /** Waits until the client has stopped (its calls failed) and its output is read. */
    void awaitEnd(long timeoutMillis) throws InterruptedException {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the publishing client is still running");
        }
        reader.join(timeoutMillis);
    }

    Set<Long> acked() {
        return Set.copyOf(acked);
    }

    List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        Files.deleteIfExists(script);
    }
}
