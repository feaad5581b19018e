package io.minitoolstream.examples.grpc;

import io.minitoolstream.camel.SubjectNames;
import java.nio.charset.StandardCharsets;


/**
 * Turns a subject into the path of a {@code minitoolstream:} endpoint URI. The component takes the subject from
 * the URI path, so the routes reach any subject with {@code toD}; every byte outside the URI's unreserved set is
 * percent-encoded, so no subject is read as URI syntax ({@code &}, {@code #}, {@code //}) or as a property
 * placeholder ({@code {{...}}}). The round trip of such subjects is under test.
 * <p>
 * Some subjects cannot be reached through an endpoint URI and are rejected with a clear message: {@code *} (the
 * component's name for every subject), subjects containing {@code ?} (Camel decodes the path before it cuts the
 * query off), subjects containing {@code %} (Camel 4.17 decodes the path once or twice depending on how the
 * endpoint is resolved, so {@code %41} may arrive as {@code A}) and subjects starting with {@code //} (dropped as
 * an authority marker). A subject-override header in
 * the component would lift these limits.
 */
public final class SubjectPaths {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private SubjectPaths() {
    }

    /** Validates the subject (the component's rules plus the URI limits above) and returns it encoded. */
    public static String of(String subject) {
        SubjectNames.requireValid("subject", subject);
        for (char reserved : new char[] {'?', '%'}) {
            if (subject.indexOf(reserved) >= 0) {
                throw new IllegalArgumentException("invalid subject '" + subject + "': '" + reserved
                                                   + "' is not supported by this application's endpoints");
            }
        }
        if (subject.startsWith("//")) {
            throw new IllegalArgumentException("invalid subject '" + subject
                                               + "': a leading '//' is not supported by this application's endpoints");
        }
        if (SubjectNames.ALL_SUBJECTS.equals(subject)) {
            throw new IllegalArgumentException("invalid subject '*': it names every subject");
        }
        return encode(subject);
    }

    static String encode(String subject) {
        StringBuilder out = new StringBuilder(subject.length() + 16);
        for (byte b : subject.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }
}
