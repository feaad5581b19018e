package io.minitoolstream.k8s;

import static io.minitoolstream.k8s.Manifests.K8S;
import static io.minitoolstream.k8s.Manifests.ROOT;
import static io.minitoolstream.k8s.Manifests.at;
import static io.minitoolstream.k8s.Manifests.list;
import static io.minitoolstream.k8s.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The Kamelets use only options the component has (its generated catalog), and the Pipe only the Kamelet's. */
@Tag("fast")
class KameletsTest {

    static final Path CATALOG =
            ROOT.resolve("camel-minitoolstream/src/generated/resources/META-INF/io/minitoolstream/camel/minitoolstream.json");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\??([^{}]+)}}");

    static Map<String, Object> catalog() {
        try {
            return map(new ObjectMapper().readValue(CATALOG.toFile(), Map.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Map<String, Object>> kamelets() {
        return Manifests.build(K8S).ofKind("Kamelet");
    }

    @Test
    void bothKameletsAreDefined() {
        assertThat(kamelets()).extracting(Manifests::name)
                .containsExactlyInAnyOrder("minitoolstream-source", "minitoolstream-sink");
        for (Map<String, Object> k : kamelets()) {
            assertThat(k.get("apiVersion")).isEqualTo("camel.apache.org/v1");
            assertThat(at(k, "metadata", "labels", "camel.apache.org/kamelet.type"))
                    .isEqualTo(Manifests.name(k).endsWith("-source") ? "source" : "sink");
        }
    }

    /** The annotations every Kamelet of Apache Camel's catalog carries. */
    @Test
    void kameletsCarryTheCatalogsAnnotations() {
        String camelVersion = Manifests.read(ROOT.resolve("pom.xml"))
                .replaceAll("(?s).*<camel.version>([^<]+)</camel.version>.*", "$1");
        for (Map<String, Object> k : kamelets()) {
            Map<String, Object> annotations = map(at(k, "metadata", "annotations"));
            assertThat(annotations).as(Manifests.name(k))
                    .containsEntry("camel.apache.org/catalog.version", camelVersion)
                    .containsEntry("camel.apache.org/kamelet.group", "MiniToolStream")
                    .containsEntry("camel.apache.org/kamelet.namespace", "Messaging")
                    .containsKeys("camel.apache.org/kamelet.support.level", "camel.apache.org/provider");
            String icon = (String) annotations.get("camel.apache.org/kamelet.icon");
            assertThat(icon).startsWith("data:image/svg+xml;base64,");
            String svg = new String(Base64.getDecoder().decode(icon.substring(icon.indexOf(',') + 1)),
                    StandardCharsets.UTF_8);
            assertThat(svg).startsWith("<svg").endsWith("</svg>");
        }
    }

    /**
     * A property the user may leave empty has no default and reaches the endpoint as an optional placeholder
     * ({@code {{?name}}}), so that empty means the component's configuration (camel.component.minitoolstream.*).
     */
    @Test
    void optionalPropertiesFallBackToTheComponentsConfiguration() {
        for (Map<String, Object> k : kamelets()) {
            assertThat(optionalPropertyProblems(k)).as(Manifests.name(k)).isEmpty();
        }
    }

    @Test
    void aDefaultOrAMandatoryPlaceholderOnAnOptionalPropertyIsReported() {
        Map<String, Object> sink = kamelets().stream().filter(k -> "minitoolstream-sink".equals(Manifests.name(k)))
                .findFirst().orElseThrow();
        Map<String, Object> withDefault = map(Manifests.merge(sink, Map.of("spec", Map.of("definition",
                Map.of("properties", Map.of("bucket", Map.of("default", "minitoolstream")))))));
        assertThat(optionalPropertyProblems(withDefault)).containsExactly("bucket has a default");
        Map<String, Object> mandatory = map(Manifests.merge(sink, Map.of("spec", Map.of("template", Map.of("from",
                Map.of("steps", List.of(Map.of("to", Map.of("uri", "minitoolstream:{{subject}}",
                        "parameters", Map.of("addresses", "{{addresses}}"))))))))));
        assertThat(optionalPropertyProblems(mandatory)).contains("addresses is used as {{addresses}}");
    }

    static List<String> optionalPropertyProblems(Map<String, Object> kamelet) {
        Map<String, Object> properties = map(at(kamelet, "spec", "definition", "properties"));
        List<Object> required = list(at(kamelet, "spec", "definition", "required"));
        String template = String.valueOf(at(kamelet, "spec", "template"));
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Object> p : properties.entrySet()) {
            if (required.contains(p.getKey())) {
                continue;
            }
            if (map(p.getValue()).containsKey("default")) {
                problems.add(p.getKey() + " has a default");
            }
            if (template.contains("{{" + p.getKey() + "}}")) {
                problems.add(p.getKey() + " is used as {{" + p.getKey() + "}}");
            }
            if (!template.contains("{{?" + p.getKey() + "}}")) {
                problems.add(p.getKey() + " is not used as {{?" + p.getKey() + "}}");
            }
        }
        return problems;
    }

    @Test
    void kameletsUseOnlyTheComponentsOptions() {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> kamelet : kamelets()) {
            problems.addAll(problems(kamelet, catalog()));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void anUnknownOptionIsReported() {
        Map<String, Object> kamelet = map(Manifests.merge(kamelets().get(0), Map.of("spec", Map.of(
                "template", Map.of("from", Map.of("uri", "minitoolstream:{{subject}}?noSuchOption=1",
                        "parameters", Map.of("alsoMissing", "{{nope}}")))))));
        assertThat(problems(kamelet, catalog())).hasSize(4).anyMatch(p -> p.contains("noSuchOption"))
                .anyMatch(p -> p.contains("alsoMissing")).anyMatch(p -> p.contains("{{nope}} is not a minitoolstream option"));
    }

    static List<String> problems(Map<String, Object> kamelet, Map<String, Object> catalog) {
        String where = "Kamelet " + Manifests.name(kamelet);
        Map<String, Object> options = map(catalog.get("properties"));
        Map<String, Object> properties = map(at(kamelet, "spec", "definition", "properties"));
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Object> p : properties.entrySet()) {
            Map<String, Object> option = map(options.get(p.getKey()));
            if (option.isEmpty()) {
                problems.add(where + ": property " + p.getKey() + " is not a minitoolstream option");
            } else if (Boolean.TRUE.equals(option.get("secret")) && !"password".equals(map(p.getValue()).get("format"))) {
                problems.add(where + ": property " + p.getKey() + " is secret but not format: password");
            }
        }
        for (Object r : list(at(kamelet, "spec", "definition", "required"))) {
            if (!properties.containsKey((String) r)) {
                problems.add(where + ": required " + r + " is not a property");
            }
        }
        walk(at(kamelet, "spec", "template"), where, properties.keySet(), options, problems);
        return problems;
    }

    private static void walk(Object node, String where, Set<String> properties, Map<String, Object> options,
            List<String> problems) {
        if (node instanceof String s) {
            Matcher m = PLACEHOLDER.matcher(s);
            while (m.find()) {
                String name = m.group(1);
                if (!properties.contains(name)) {
                    problems.add(where + ": {{" + name + "}} is not a Kamelet property");
                }
                if (!options.containsKey(name)) {
                    problems.add(where + ": {{" + name + "}} is not a minitoolstream option");
                }
            }
        } else if (node instanceof Map<?, ?> mapNode) {
            Map<String, Object> map = map(mapNode);
            if (map.get("uri") instanceof String uri && uri.startsWith("minitoolstream:")) {
                List<String> parameters = new ArrayList<>(map(map.get("parameters")).keySet());
                int q = uri.indexOf('?');
                if (q >= 0) {
                    for (String pair : uri.substring(q + 1).split("&")) {
                        parameters.add(pair.split("=", 2)[0]);
                    }
                }
                for (String parameter : parameters) {
                    if (!"parameter".equals(map(options.get(parameter)).get("kind"))) {
                        problems.add(where + ": endpoint parameter " + parameter + " is not a minitoolstream option");
                    }
                }
            }
            map.values().forEach(v -> walk(v, where, properties, options, problems));
        } else if (node instanceof List<?> listNode) {
            listNode.forEach(v -> walk(v, where, properties, options, problems));
        }
    }

    @Test
    void thePipeSetsOnlyTheSinksPropertiesAndEveryRequiredOne() {
        Map<String, Object> pipe = Manifests.documents(K8S.resolve("base/kamelets/timer-to-minitoolstream.pipe.yaml")).get(0);
        assertThat(pipe.get("kind")).isEqualTo("Pipe");
        assertThat(at(pipe, "spec", "sink", "ref", "name")).isEqualTo("minitoolstream-sink");
        Map<String, Object> sink = kamelets().stream().filter(k -> "minitoolstream-sink".equals(Manifests.name(k)))
                .findFirst().orElseThrow();
        Map<String, Object> definition = map(at(sink, "spec", "definition"));
        Map<String, Object> given = map(at(pipe, "spec", "sink", "properties"));
        assertThat(map(definition.get("properties")).keySet()).containsAll(given.keySet());
        for (Object r : list(definition.get("required"))) {
            assertThat(given).as("required property " + r).containsKey((String) r);
        }
        // The Kamelet has no connection defaults: the Pipe's integration names the servers as component options.
        List<String> env = list(at(pipe, "spec", "integration", "template", "spec", "containers")).stream()
                .flatMap(c -> list(map(c).get("env")).stream()).map(e -> (String) map(e).get("name")).toList();
        assertThat(env).contains("CAMEL_COMPONENT_MINITOOLSTREAM_ADDRESSES", "CAMEL_COMPONENT_MINITOOLSTREAM_S3_ENDPOINT",
                "CAMEL_COMPONENT_MINITOOLSTREAM_USERNAME", "CAMEL_COMPONENT_MINITOOLSTREAM_PASSWORD",
                "CAMEL_COMPONENT_MINITOOLSTREAM_ACCESS_KEY", "CAMEL_COMPONENT_MINITOOLSTREAM_SECRET_KEY");
    }
}
