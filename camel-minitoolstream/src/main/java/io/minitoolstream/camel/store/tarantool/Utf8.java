package io.minitoolstream.camel.store.tarantool;

/** Strict UTF-8 validation without decoding or exceptions: what a REPORTing decoder accepts, and nothing else. */
final class Utf8 {

    private Utf8() {
    }

    /** True when the bytes are well-formed UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
    static boolean isValid(byte[] bytes) {
        int i = 0;
        int n = bytes.length;
        while (i < n) {
            int b = bytes[i];
            if (b >= 0) { // ASCII
                i++;
                continue;
            }
            b &= 0xff;
            if (b < 0xc2) { // continuation byte first, or an overlong 2-byte form
                return false;
            }
            if (b < 0xe0) {
                if (i + 1 >= n || !continuation(bytes[i + 1])) {
                    return false;
                }
                i += 2;
            } else if (b < 0xf0) {
                if (i + 2 >= n || !continuation(bytes[i + 1]) || !continuation(bytes[i + 2])) {
                    return false;
                }
                int b1 = bytes[i + 1] & 0xff;
                if ((b == 0xe0 && b1 < 0xa0) || (b == 0xed && b1 >= 0xa0)) { // overlong, or a surrogate
                    return false;
                }
                i += 3;
            } else if (b < 0xf5) {
                if (i + 3 >= n || !continuation(bytes[i + 1]) || !continuation(bytes[i + 2])
                        || !continuation(bytes[i + 3])) {
                    return false;
                }
                int b1 = bytes[i + 1] & 0xff;
                if ((b == 0xf0 && b1 < 0x90) || (b == 0xf4 && b1 >= 0x90)) { // overlong, or above U+10FFFF
                    return false;
                }
                i += 4;
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean continuation(byte b) {
        return (b & 0xc0) == 0x80;
    }
}
