package io.minitoolstream.camel;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A stream of pseudo-random bytes of a given length that is generated as it is read, so a test can send a
 * 50 MB payload without holding it, and knows its hash in advance.
 */
final class DeterministicStream extends InputStream {

    private final long length;
    private long position;
    private long state;

    DeterministicStream(long length, long seed) {
        this.length = length;
        this.state = seed;
    }

    private byte next() {
        state ^= state << 13;
        state ^= state >>> 7;
        state ^= state << 17;
        return (byte) state;
    }

    @Override
    public int read() {
        if (position >= length) {
            return -1;
        }
        position++;
        return next() & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) {
        if (position >= length) {
            return -1;
        }
        int n = (int) Math.min(count, length - position);
        for (int i = 0; i < n; i++) {
            buffer[offset + i] = next();
        }
        position += n;
        return n;
    }

    static String sha256Of(long length, long seed) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        try (DeterministicStream stream = new DeterministicStream(length, seed)) {
            for (int n; (n = stream.read(buffer, 0, buffer.length)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
