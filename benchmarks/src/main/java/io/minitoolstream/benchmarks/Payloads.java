package io.minitoolstream.benchmarks;

import java.util.Random;

final class Payloads {

    private Payloads() {
    }

    /** Incompressible bytes of the given size (same seed, same bytes). */
    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String label(long size) {
        if (size >= 1L << 30 && size % (1L << 30) == 0) {
            return (size >> 30) + " GB";
        }
        if (size >= 1L << 20 && size % (1L << 20) == 0) {
            return (size >> 20) + " MB";
        }
        if (size >= 1024 && size % 1024 == 0) {
            return (size >> 10) + " KB";
        }
        return size + " B";
    }
}
