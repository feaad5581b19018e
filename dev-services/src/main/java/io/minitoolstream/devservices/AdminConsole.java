package io.minitoolstream.devservices;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Tarantool's text admin console on a Unix socket ({@code MTS_ADMIN_SOCKET}): runs as the admin
 * user, for operator actions the application user must not have (failover). Whoever can open the
 * socket file is admin; {@code init.lua} makes it owner-only.
 *
 * <p>Protocol: a two-line greeting, then each line sent is evaluated and answered with a YAML
 * document ending in {@code "\n...\n"}. A chunk is sent as one line,
 * {@code assert(loadstring("<chunk>"))()}, so it may span lines and must {@code return} what it
 * wants to see. An error comes back as {@code "- error: ..."} and is thrown.
 */
final class AdminConsole {

    private static final String END = "\n...\n";

    private AdminConsole() {
    }

    /** Runs {@code chunk} on the console at {@code socket}; returns the YAML answer. */
    static String eval(Path socket, String chunk, Duration timeout) {
        // Blocking socket channels have no read timeout: run on a helper thread and give up on it.
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "tarantool-admin-console");
            thread.setDaemon(true);
            return thread;
        });
        SocketChannel[] channel = new SocketChannel[1];
        try {
            Future<String> answer = executor.submit(() -> {
                try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    channel[0] = ch;
                    ch.connect(UnixDomainSocketAddress.of(socket));
                    readUntil(ch, "\n", 2); // greeting
                    ch.write(ByteBuffer.wrap(("assert(loadstring(" + luaString(chunk) + "))()\n")
                            .getBytes(StandardCharsets.UTF_8)));
                    return readUntil(ch, END, 1);
                }
            });
            String yaml = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String error = errorOf(yaml);
            if (error != null) {
                throw new DevServicesException("Admin console error: " + error);
            }
            return yaml;
        } catch (TimeoutException e) {
            throw new DevServicesException("Admin console at " + socket + " did not answer within "
                    + timeout.toMillis() + " ms");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            throw new DevServicesException("Admin console at " + socket + " failed: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevServicesException("Interrupted while talking to the admin console at " + socket);
        } finally {
            closeQuietly(channel[0]);
            executor.shutdownNow();
        }
    }

    /** Reads until {@code terminator} has been seen {@code times} times; returns everything read. */
    private static String readUntil(SocketChannel channel, String terminator, int times) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        while (true) {
            String text = out.toString(StandardCharsets.UTF_8);
            if (count(text, terminator) >= times) {
                return text;
            }
            buffer.clear();
            int n = channel.read(buffer);
            if (n < 0) {
                throw new IOException("console closed the connection; got: " + text);
            }
            out.write(buffer.array(), 0, n);
        }
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            count++;
        }
        return count;
    }

    /** The message of a console error answer ({@code ---\n- error: ...}), else null. */
    static String errorOf(String yaml) {
        String body = yaml.startsWith("---\n") ? yaml.substring(4) : yaml;
        if (!body.startsWith("- error:")) {
            return null;
        }
        String message = body.substring("- error:".length());
        int end = message.indexOf(END);
        if (end >= 0) {
            message = message.substring(0, end);
        }
        message = message.strip();
        if (message.length() >= 2 && message.startsWith("'") && message.endsWith("'")) {
            message = message.substring(1, message.length() - 1).replace("''", "'");
        }
        return message.replaceAll("\\s*\\n\\s*", " ");
    }

    /** {@code s} as a double-quoted Lua string literal; non-printable bytes as {@code \ddd}. */
    static String luaString(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c == '"' || c == '\\' || c < 0x20 || c >= 0x7f) {
                out.append('\\').append(String.format("%03d", c));
            } else {
                out.append((char) c);
            }
        }
        return out.append('"').toString();
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing only to unblock a reader.
            }
        }
    }
}
