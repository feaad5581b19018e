package io.minitoolstream.examples;

/** Names shared by the Java beans and the YAML routes. */
public final class Keys {

    /**
     * Exchange property holding the subject as an endpoint path (percent-encoded), used by the routes as
     * {@code toD: minitoolstream:${exchangeProperty.minitoolstreamSubjectPath}}. A property, not a header, so it is
     * never stored with a message.
     */
    public static final String SUBJECT_PATH = "minitoolstreamSubjectPath";

    /** Stored header carrying a dropped file's original name (no Camel prefix: Camel* headers are not stored). */
    public static final String FILE_NAME_HEADER = "MiniToolStreamFileName";

    private Keys() {
    }
}
