package io.minitoolstream.examples.grpc.auth;

import java.util.List;

/**
 * The subjects a token's {@code allowed_subjects} claim grants. Each entry is one of:
 * <ul>
 * <li>{@code *}: every subject;</li>
 * <li>{@code prefix.*}: every subject that starts with {@code prefix.} ({@code orders.*} grants {@code orders.eu}
 * and {@code orders.eu.west}, not {@code orders} nor {@code ordersx.eu});</li>
 * <li>anything else: exactly that subject.</li>
 * </ul>
 * A {@code *} anywhere else is rejected: subjects this application serves never contain one, so such an entry could
 * only be a mistake that grants nothing.
 */
public final class SubjectPatterns {

    private static final String ALL = "*";
    private static final String PREFIX_SUFFIX = ".*";

    private final List<String> entries;

    private SubjectPatterns(List<String> entries) {
        this.entries = entries;
    }

    /** Parses the claim's entries; an empty list grants nothing. */
    public static SubjectPatterns parse(List<String> entries) {
        for (String entry : entries) {
            if (entry == null || entry.isEmpty()) {
                throw new IllegalArgumentException("empty subject pattern");
            }
            int star = entry.indexOf('*');
            boolean wellFormed = star < 0 || entry.equals(ALL)
                    || (entry.endsWith(PREFIX_SUFFIX) && star == entry.length() - 1 && entry.length() > 2);
            if (!wellFormed) {
                throw new IllegalArgumentException("invalid subject pattern '" + entry
                                                   + "': '*' is allowed only alone or as a final '.*'");
            }
        }
        return new SubjectPatterns(List.copyOf(entries));
    }

    public boolean matches(String subject) {
        for (String entry : entries) {
            if (entry.equals(ALL)) {
                return true;
            }
            if (entry.endsWith(PREFIX_SUFFIX)) {
                // Keep the dot: "orders.*" is the prefix "orders.", so "ordersx.eu" and "orders" do not match.
                if (subject.startsWith(entry.substring(0, entry.length() - 1))) {
                    return true;
                }
            } else if (entry.equals(subject)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
