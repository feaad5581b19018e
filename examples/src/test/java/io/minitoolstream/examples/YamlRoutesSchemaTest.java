package io.minitoolstream.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.apache.camel.dsl.yaml.YamlRoutesBuilderLoader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The YAML routes pass the Camel YAML DSL JSON schema shipped inside camel-yaml-dsl (what Kaoto and editors check
 * against): a property placeholder where the schema wants a number or a boolean is flagged there even though
 * Camel itself accepts it.
 */
@Tag("fast")
class YamlRoutesSchemaTest {

    static final Path ROUTES = Path.of("src", "main", "resources", "routes");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static JsonSchema schema() throws IOException {
        try (InputStream in = YamlRoutesBuilderLoader.class.getClassLoader()
                .getResourceAsStream("schema/camelYamlDsl.json")) {
            assertThat(in).as("schema/camelYamlDsl.json in camel-yaml-dsl").isNotNull();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
    }

    static List<String> problems(JsonSchema schema, Path file) throws IOException {
        JsonNode routes = YAML.readTree(file.toFile());
        Set<ValidationMessage> messages = schema.validate(routes);
        List<String> problems = new ArrayList<>();
        messages.forEach(m -> problems.add(file.getFileName() + ": " + m.getMessage()));
        return problems;
    }

    @Test
    void everyRouteFilePassesTheSchema() throws IOException {
        JsonSchema schema = schema();
        List<Path> files;
        try (Stream<Path> list = Files.list(ROUTES)) {
            files = list.filter(p -> p.toString().endsWith(".camel.yaml")).sorted().toList();
        }
        assertThat(files).hasSize(4);
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            problems.addAll(problems(schema, file));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void aPlaceholderInATypedFieldIsFlagged(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.camel.yaml");
        Files.writeString(file, """
                - route:
                    autoStartup: "{{some.flag}}"
                    from:
                      uri: direct:a
                      steps:
                        - toD:
                            uri: log:${header.x}
                            cacheSize: "{{some.size}}"
                """);
        assertThat(problems(schema(), file)).hasSizeGreaterThanOrEqualTo(2)
                .anyMatch(p -> p.contains("autoStartup")).anyMatch(p -> p.contains("cacheSize"));
    }
}
