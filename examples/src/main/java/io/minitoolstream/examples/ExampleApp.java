package io.minitoolstream.examples;

import java.util.Properties;

import org.apache.camel.main.Main;

/** Builds the camel-main application: YAML routes, the beans they use, and the embedded default. */
public final class ExampleApp {

    private ExampleApp() {
    }

    /**
     * A configured, not yet started {@link Main}. {@code overrides} win over application.properties and the
     * environment (tests use them for ports and servers); may be null.
     */
    public static Main create(Properties overrides) {
        Main main = new Main();
        main.configure().addConfiguration(ExamplesConfiguration.class);
        main.addMainListener(new EmbeddedDevServices());
        main.addMainListener(new TryItBanner());
        if (overrides != null) {
            main.setOverrideProperties(overrides);
        }
        return main;
    }
}
