package io.minitoolstream.devservices;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Calls a running server through the {@code tarantool} binary's own net.box client, as the
 * application user, so these tests need no Java driver. Credentials travel in the environment.
 */
final class TarantoolCli {

    private static final String CLIENT = String.join("\n",
            "local conn = require('net.box').connect(os.getenv('T_ADDR'),",
            "    {user = os.getenv('T_USER'), password = os.getenv('T_PASSWORD'), wait_connected = 10})",
            "if not conn:is_connected() then",
            "    print('CONNECT FAILED: ' .. tostring(conn.error)); io.stdout:flush(); os.exit(2)",
            "end",
            "local ok, result = pcall(loadstring(os.getenv('T_CODE')), conn)",
            "print(ok and tostring(result) or ('ERROR: ' .. tostring(result)))",
            "io.stdout:flush()",
            "os.exit(ok and 0 or 1)");

    private TarantoolCli() {
    }

    /** Runs {@code code} (a Lua chunk receiving the connection as {@code ...}) and returns what it returned. */
    static String eval(TarantoolServer server, String code) throws IOException, InterruptedException {
        Path script = Files.createTempFile("minitoolstream-cli-", ".lua");
        try {
            Files.writeString(script, CLIENT);
            ProcessBuilder builder = new ProcessBuilder(Executables.tarantool(), script.toString()).redirectErrorStream(true);
            builder.environment().put("T_ADDR", server.address());
            builder.environment().put("T_USER", server.username());
            builder.environment().put("T_PASSWORD", server.password());
            builder.environment().put("T_CODE", code);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("tarantool client failed: " + output);
            }
            return output;
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** Publishes one inline record on {@code subject}; returns its sequence. */
    static long publish(TarantoolServer server, String subject) throws IOException, InterruptedException {
        return Long.parseLong(eval(server, "local conn = ...\n"
                + "local NULL = require('msgpack').NULL\n"
                + "local headers = setmetatable({}, {__serialize = 'map'})\n"
                + "return conn:call('publish_record', {'" + subject + "', NULL, headers, 'x', 1, NULL})"));
    }

    /** Every sequence of {@code subject} on {@code server}, read in pages. */
    static java.util.Set<Long> sequences(TarantoolServer server, String subject) throws IOException, InterruptedException {
        String list = eval(server, "local conn = ...\n"
                + "local seqs, after = {}, 0\n"
                + "while true do\n"
                + "    local rows = conn:call('fetch_messages', {'" + subject + "', after, 10000})\n"
                + "    if #rows == 0 then break end\n"
                + "    for _, r in ipairs(rows) do table.insert(seqs, tostring(r.sequence)); after = r.sequence end\n"
                + "end\n"
                + "return table.concat(seqs, ',')");
        java.util.Set<Long> result = new java.util.HashSet<>();
        for (String s : list.split(",")) {
            if (!s.isBlank()) {
                result.add(Long.parseLong(s.strip()));
            }
        }
        return result;
    }

    static long latestSequence(TarantoolServer server, String subject) throws IOException, InterruptedException {
        return Long.parseLong(eval(server,
                "return (...):call('get_latest_sequence_for_subject', {'" + subject + "'})"));
    }
}
