package io.minitoolstream.devservices;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Pseudo-random bytes of a given length, generated as they are read, so tests and benchmarks can send payloads
 * of any size without holding them. The same length and seed always give the same bytes; the SHA-256 of what
 * was read so far is kept, and {@link #sha256Of(long, long)} tells it in advance.
 */
public final class GeneratedStream extends InputStream {

    private final long length;
    private final MessageDigest digest = newSha256();
    private long position;
    private long state;

    public GeneratedStream(long length, long seed) {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative: " + length);
        }
        this.length = length;
        this.state = seed == 0 ? 1 : seed; // xorshift never leaves 0
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
        byte b = next();
        digest.update(b);
        position++;
        return b & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) {
        if (count == 0) {
            return 0;
        }
        if (position >= length) {
            return -1;
        }
        int n = (int) Math.min(count, length - position);
        for (int i = 0; i < n; i++) {
            buffer[offset + i] = next();
        }
        digest.update(buffer, offset, n);
        position += n;
        return n;
    }

    /** Bytes read so far. */
    public long position() {
        return position;
    }

    /** Lower-case hex SHA-256 of the bytes read so far. */
    public String sha256() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SHA-256 of the whole stream for this length and seed, computed without keeping the bytes. */
    public static String sha256Of(long length, long seed) {
        GeneratedStream stream = new GeneratedStream(length, seed);
        byte[] buffer = new byte[64 * 1024];
        while (stream.read(buffer, 0, buffer.length) > 0) {
            // reading is what computes the digest
        }
        return stream.sha256();
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
