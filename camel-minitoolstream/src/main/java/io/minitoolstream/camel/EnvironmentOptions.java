package io.minitoolstream.camel;

import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.PropertyBindingSupport;

/**
 * The component options given as {@code CAMEL_COMPONENT_MINITOOLSTREAM_*} environment variables, the way Camel
 * documents them: {@code CAMEL_COMPONENT_MINITOOLSTREAM_S3_ENDPOINT} is
 * {@code camel.component.minitoolstream.s3-endpoint}.
 * <p>
 * camel-main 4.17 logs such variables as used but never binds them to a component: its filter compares the
 * upper-case variable names with lower-case prefixes, so nothing matches, while properties files and {@code -D}
 * system properties work. The component therefore binds them itself. Precedence stays camel-main's: a variable
 * overrides a properties file, a system property for the same option overrides the variable, and
 * {@code camel.main.auto-configuration-environment-variables-enabled=false} turns it off.
 */
final class EnvironmentOptions {

    static final String PREFIX = "CAMEL_COMPONENT_MINITOOLSTREAM_";
    private static final String PROPERTY_PREFIX = "camel.component.minitoolstream.";

    private EnvironmentOptions() {
    }

    /** False when camel-main's switch for environment variables is off (in any property source). */
    static boolean enabled(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        String value = properties.resolveProperty("camel.main.auto-configuration-environment-variables-enabled")
                .or(() -> properties.resolveProperty("camel.main.autoConfigurationEnvironmentVariablesEnabled"))
                .orElse("true");
        return !"false".equalsIgnoreCase(value.trim());
    }

    /**
     * Option name (lower case, no separators: what the generated configurer accepts with ignoreCase) to value, for
     * every variable with the prefix that no system property overrides.
     */
    static Map<String, Object> options(Map<String, String> environment, Properties systemProperties) {
        Map<String, Object> options = new TreeMap<>();
        environment.forEach((name, value) -> {
            String upper = name.toUpperCase(Locale.ROOT);
            // Kubernetes service variables, skipped like camel-main does
            if (!upper.startsWith(PREFIX) || upper.endsWith("_PORT") || upper.contains("_PORT_")
                || upper.endsWith("_SERVICE_HOST")) {
                return;
            }
            String option = normalize(upper.substring(PREFIX.length()));
            if (!option.isEmpty() && !"enabled".equals(option)) {
                options.put(option, value);
            }
        });
        for (String key : systemProperties.stringPropertyNames()) {
            if (key.toLowerCase(Locale.ROOT).startsWith(PROPERTY_PREFIX)) {
                options.remove(normalize(key.substring(PROPERTY_PREFIX.length())));
            }
        }
        return options;
    }

    /** Sets the options on the component; an unknown one fails, named without its value (it may be a secret). */
    static void bind(MiniToolStreamComponent component, Map<String, Object> options) {
        if (options.isEmpty()) {
            return;
        }
        Map<String, Object> left = new TreeMap<>(options);
        PropertyBindingSupport.build().withConfigurer(component.getComponentPropertyConfigurer()).withIgnoreCase(true)
                .withRemoveParameters(true).withReflection(false).bind(component.getCamelContext(), component, left);
        if (!left.isEmpty()) {
            throw new IllegalArgumentException("Unknown minitoolstream component option in environment variables "
                                               + PREFIX + "*: " + left.keySet());
        }
    }

    private static String normalize(String option) {
        return option.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }
}
