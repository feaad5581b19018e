package io.minitoolstream.k8s;

import static io.minitoolstream.k8s.Manifests.K8S;
import static io.minitoolstream.k8s.Manifests.ROOT;
import static io.minitoolstream.k8s.Manifests.at;
import static io.minitoolstream.k8s.Manifests.list;
import static io.minitoolstream.k8s.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
    }
}
