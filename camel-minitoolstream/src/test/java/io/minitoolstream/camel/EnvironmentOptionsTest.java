package io.minitoolstream.camel;

import java.util.Map;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How {@code CAMEL_COMPONENT_MINITOOLSTREAM_*} variables map to the options the component configurer binds. */
@Tag("fast")
class EnvironmentOptionsTest {

    @Test
    void variablesBecomeOptionNamesAndSystemPropertiesWin() {
        Properties system = new Properties();
        system.setProperty("camel.component.minitoolstream.access-key", "from-sys");
        system.setProperty("camel.component.minitoolstream.secretKey", "from-sys");
        Map<String, Object> options = EnvironmentOptions.options(Map.of(
                "CAMEL_COMPONENT_MINITOOLSTREAM_ADDRESSES", "a:1,b:2",
                "CAMEL_COMPONENT_MINITOOLSTREAM_S3_ENDPOINT", "http://s3:9000",
                "CAMEL_COMPONENT_MINITOOLSTREAM_ACCESS_KEY", "from-env",
                "CAMEL_COMPONENT_MINITOOLSTREAM_SECRET_KEY", "from-env",
                "CAMEL_COMPONENT_MINITOOLSTREAM_SERVICE_PORT", "80",
                "CAMEL_COMPONENT_NATS_SERVERS", "x",
                "CAMEL_COMPONENT_MINITOOLSTREAMX", "y"), system);
        assertThat(options).containsOnly(Map.entry("addresses", "a:1,b:2"), Map.entry("s3endpoint", "http://s3:9000"));
    }

    @Test
    void camelMainsSwitchTurnsItOff() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            assertThat(EnvironmentOptions.enabled(context)).isTrue();
            Properties off = new Properties();
            off.setProperty("camel.main.auto-configuration-environment-variables-enabled", "false");
            context.getPropertiesComponent().setInitialProperties(off);
            assertThat(EnvironmentOptions.enabled(context)).isFalse();
        }
    }

    @Test
    void bindsOntoTheComponentAndNamesAnUnknownOptionWithoutItsValue() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            MiniToolStreamComponent component = new MiniToolStreamComponent();
            context.addComponent("minitoolstream", component);
            context.start();
            EnvironmentOptions.bind(component, EnvironmentOptions.options(Map.of(
                    "CAMEL_COMPONENT_MINITOOLSTREAM_ADDRESSES", "a:1,b:2",
                    "CAMEL_COMPONENT_MINITOOLSTREAM_S3_ENDPOINT", "http://s3:9000",
                    "CAMEL_COMPONENT_MINITOOLSTREAM_INLINE_THRESHOLD", "1024"), new Properties()));
            assertThat(component.getConfiguration().getAddresses()).isEqualTo("a:1,b:2");
            assertThat(component.getConfiguration().getS3Endpoint()).isEqualTo("http://s3:9000");
            assertThat(component.getConfiguration().getInlineThreshold()).isEqualTo(1024);

            Map<String, Object> typo = EnvironmentOptions.options(
                    Map.of("CAMEL_COMPONENT_MINITOOLSTREAM_PASSWROD", "not-to-be-shown"), new Properties());
            assertThatThrownBy(() -> EnvironmentOptions.bind(component, typo))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("passwrod")
                    .hasMessageNotContaining("not-to-be-shown");
        }
    }
}
