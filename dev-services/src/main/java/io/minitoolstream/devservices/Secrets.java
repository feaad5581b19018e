package io.minitoolstream.devservices;

import java.security.SecureRandom;
import java.util.Base64;

/** Random credentials, fresh per server, so nothing shared or guessable is ever baked in. */
final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** URL-safe random string with {@code bytes} bytes of entropy (no padding, no quotes). */
    static String random(int bytes) {
        byte[] buf = new byte[bytes];
        RANDOM.nextBytes(buf);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buf);
    }
}
