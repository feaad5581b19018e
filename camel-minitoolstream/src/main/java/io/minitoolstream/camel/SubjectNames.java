package io.minitoolstream.camel;

import java.nio.charset.StandardCharsets;

/**
 * The rules for subject and durable names, the same as the Lua side enforces: non-empty, at most 255 bytes of
 * UTF-8, no whitespace or control characters. Checked here too so a bad URI fails when the endpoint is created.
 */
public final class SubjectNames {

    public static final int MAX_BYTES = 255;
    /** Names every subject for deleteOldMessages; never a subject of its own. */
    public static final String ALL_SUBJECTS = "*";

    private SubjectNames() {
    }

    public static String requireValid(String kind, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("invalid " + kind + " '" + (name == null ? "null" : "")
                                               + "': must not be empty");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException("invalid " + kind + " '" + abbreviate(name) + "': " + bytes
                                               + " bytes, at most " + MAX_BYTES + " allowed");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                throw new IllegalArgumentException("invalid " + kind + " '" + printable(name)
                                                   + "': contains whitespace or a control character at index "
                                                   + i);
            }
        }
        return name;
    }

    private static String abbreviate(String name) {
        return name.length() <= 40 ? name : name.substring(0, 40) + "...";
    }

    private static String printable(String name) {
        StringBuilder out = new StringBuilder();
        for (char c : abbreviate(name).toCharArray()) {
            out.append(Character.isISOControl(c) || Character.isWhitespace(c)
                    ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}
