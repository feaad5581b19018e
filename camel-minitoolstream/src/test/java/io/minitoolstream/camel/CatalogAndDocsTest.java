package io.minitoolstream.camel;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated catalog is what tooling (Camel JBang, Kaoto, IDE plugins, Kamelets) reads: every option and
 * header in it must be described, and the component page must document each of them.
 */
@Tag("fast")
class CatalogAndDocsTest {

    /** Options Camel adds to every scheduled polling endpoint, documented once in Camel's own pages. */
    private static final Set<String> INHERITED = Set.of("bridgeErrorHandler", "exceptionHandler", "exchangePattern",
            "pollStrategy", "sendEmptyMessageWhenIdle", "lazyStartProducer", "autowiredEnabled", "backoffErrorThreshold",
            "backoffIdleThreshold", "backoffMultiplier", "delay", "greedy", "initialDelay", "repeatCount",
            "runLoggingLevel", "scheduledExecutorService", "scheduler", "schedulerProperties", "startScheduler",
            "timeUnit", "useFixedDelay", "configuration");

    private static JsonObject catalog() throws Exception {
        try (InputStream in = MiniToolStreamComponent.class.getResourceAsStream(
                "/META-INF/io/minitoolstream/camel/minitoolstream.json")) {
            assertThat(in).as("generated catalog on the classpath").isNotNull();
            return (JsonObject) Jsoner.deserialize(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static String adoc() throws Exception {
        return Files.readString(Path.of("src/main/docs/minitoolstream-component.adoc"));
    }

    @Test
    void everyOptionAndHeaderIsDescribedAndDocumented() throws Exception {
        JsonObject catalog = catalog();
        String adoc = adoc();
        for (String section : new String[] { "componentProperties", "properties", "headers" }) {
            JsonObject entries = catalog.getMap(section) instanceof JsonObject o ? o : new JsonObject(catalog.getMap(section));
            assertThat(entries).as(section).isNotEmpty();
            for (Map.Entry<String, Object> entry : entries.entrySet()) {
                Map<?, ?> option = (Map<?, ?>) entry.getValue();
                assertThat((String) option.get("description")).as(section + " " + entry.getKey() + " description")
                        .isNotBlank();
                if (!INHERITED.contains(entry.getKey())) {
                    assertThat(adoc).as("the .adoc documents " + entry.getKey()).contains(entry.getKey());
                }
            }
        }
    }

    /**
     * The generator drops characters it does not keep (such as '*'), which can leave a description saying nothing
     * ("For deleteOldMessages,  means every subject"): no description has an empty quote or a comma-gap.
     */
    @Test
    void noDescriptionLostAWord() throws Exception {
        JsonObject catalog = catalog();
        for (String section : new String[] { "componentProperties", "properties", "headers" }) {
            Map<?, ?> entries = catalog.getMap(section);
            for (Map.Entry<?, ?> entry : entries.entrySet()) {
                String description = (String) ((Map<?, ?>) entry.getValue()).get("description");
                assertThat(description).as(section + " " + entry.getKey())
                        .doesNotContain("''", "``", "\"\"", "()", ", means", " , ").doesNotContainPattern("\\s[,.;:]");
            }
        }
        String subject = (String) ((Map<?, ?>) catalog.getMap("properties").get("subject")).get("description");
        assertThat(subject).contains("deleteOldMessages, a subject that is a single asterisk");
    }

    @Test
    void credentialsAreSecretsAndEveryOperationIsDocumented() throws Exception {
        Map<?, ?> properties = catalog().getMap("properties");
        for (String secret : new String[] { "password", "accessKey", "secretKey" }) {
            assertThat(((Map<?, ?>) properties.get(secret)).get("secret")).as(secret).isEqualTo(true);
        }
        String adoc = adoc();
        for (MiniToolStreamOperations operation : MiniToolStreamOperations.values()) {
            assertThat(adoc).contains("`" + operation.name() + "`");
        }
    }

    @Test
    void theCatalogListsEachPolicyEnumInItsDocumentedSpelling() throws Exception {
        Map<?, ?> properties = catalog().getMap("properties");
        assertEnumValues(properties, "deliverPolicy", DeliverPolicy.values());
        assertEnumValues(properties, "missingPayloadPolicy", MissingPayloadPolicy.values());
        assertEnumValues(properties, "consumerMode", ConsumerMode.values());
    }

    private static void assertEnumValues(Map<?, ?> properties, String option, Enum<?>[] values) {
        assertThat(((Map<?, ?>) properties.get(option)).get("enum")).asList()
                .containsExactly((Object[]) java.util.Arrays.stream(values).map(Enum::toString).toArray());
    }
}
