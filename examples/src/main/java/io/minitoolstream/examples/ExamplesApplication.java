package io.minitoolstream.examples;

import org.apache.camel.main.Main;

/** {@code java -jar minitoolstream-examples.jar}: runs until Ctrl-C (or SIGTERM), then stops everything. */
public final class ExamplesApplication {

    private ExamplesApplication() {
    }

    public static void main(String[] args) throws Exception {
        Main main = ExampleApp.create(null);
        int code = main.run(args);
        // The S3 client's HTTP threads would keep the JVM alive for a minute after Camel stopped.
        System.exit(code);
    }
}
