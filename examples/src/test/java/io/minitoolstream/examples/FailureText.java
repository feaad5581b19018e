package io.minitoolstream.examples;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Everything an exception would put into a log: messages and stack traces of the whole cause chain. */
final class FailureText {

    private FailureText() {
    }

    static String of(Throwable failure) {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
