package io.minitoolstream.k8s;

import static io.minitoolstream.k8s.Manifests.K8S;
import static io.minitoolstream.k8s.Manifests.ROOT;
import static io.minitoolstream.k8s.Manifests.at;
import static io.minitoolstream.k8s.Manifests.list;
import static io.minitoolstream.k8s.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Camel K Integrations run the examples' routes unchanged, with everything those routes need. */
@Tag("fast")
class IntegrationsTest {

    private static final Path ROUTES = ROOT.resolve("examples/src/main/resources/routes");
    /** Integration -> the route file it embeds. */
    private static final Map<String, String> EXPECTED = Map.of(
            "minitoolstream-ingress", "ingress.camel.yaml",
            "minitoolstream-egress", "egress.camel.yaml",
            "minitoolstream-cleaner", "cleaner.camel.yaml");
    /** {{key}} property placeholders and ${properties:key} in simple expressions. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]+)}}|\\$\\{properties:([^{}:]+)}");

    private static List<Map<String, Object>> integrations(Manifests.Build build) {
        return build.ofKind("Integration");
    }

    @Test
    void theIntegrationsEmbedTheExamplesRouteFilesByteForByte() {
        List<Map<String, Object>> integrations = integrations(Manifests.build(K8S));
        assertThat(integrations).extracting(Manifests::name).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
        for (Map<String, Object> integration : integrations) {
            assertThat((String) integration.get("apiVersion")).isEqualTo("camel.apache.org/v1");
            List<Object> sources = list(at(integration, "spec", "sources"));
            assertThat(sources).hasSize(1);
            Map<String, Object> source = map(sources.get(0));
            String file = EXPECTED.get(Manifests.name(integration));
            assertThat(source.get("name")).isEqualTo(file);
            assertThat((String) source.get("content")).as(Manifests.name(integration) + " source")
                    .isEqualTo(Manifests.read(ROUTES.resolve(file)));
        }
    }

    /** The committed files are exactly what generate-integrations.sh writes today. */
    @Test
    void theCommittedFilesAreTheGeneratorsOutput(@TempDir Path out) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", K8S.resolve("generate-integrations.sh").toString(), out.toString())
                .redirectErrorStream(true).start();
        String log = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(log).isZero();
        List<Path> written;
        try (var files = Files.list(out)) {
            written = files.sorted().toList();
        }
        assertThat(written).hasSize(EXPECTED.size());
        for (Path file : written) {
            assertThat(Manifests.read(K8S.resolve("base/camel-k").resolve(file.getFileName())))
                    .as(file.getFileName() + " (run k8s/generate-integrations.sh and commit)")
                    .isEqualTo(Manifests.read(file));
        }
    }

    static List<Path> kustomizations() {
        return Manifests.kustomizations();
    }

    /** Every {{property}} of the routes is defined by the configuration the Integration mounts. */
    @ParameterizedTest
    @MethodSource("kustomizations")
    void everyPropertyTheRoutesUseIsConfigured(Path dir) throws IOException {
        Manifests.Build build = Manifests.build(dir);
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> integration : integrations(build)) {
            Set<String> defined = definedProperties(build, integration);
            assertThat(defined).contains("camel.component.minitoolstream.addresses", "minitoolstream.grpc.host");
            for (Object s : list(at(integration, "spec", "sources"))) {
                Matcher m = PLACEHOLDER.matcher((String) map(s).get("content"));
                while (m.find()) {
                    String key = m.group(1) != null ? m.group(1) : m.group(2);
                    if (!key.contains(":") && !defined.contains(key)) {
                        problems.add(Manifests.name(integration) + ": {{" + key + "}} is not configured");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    static Set<String> definedProperties(Manifests.Build build, Map<String, Object> integration) throws IOException {
        Set<String> defined = new HashSet<>();
        for (Object c : list(at(integration, "spec", "traits", "mount", "configs"))) {
            String spec = (String) c;
            if (!spec.startsWith("configmap:")) {
                continue;
            }
            String name = spec.substring("configmap:".length()).split("[/@]")[0];
            Map<String, Object> configMap = build.ofKind("ConfigMap").stream()
                    .filter(o -> name.equals(Manifests.name(o))).findFirst()
                    .orElseThrow(() -> new AssertionError("ConfigMap " + name + " not defined"));
            for (Map.Entry<String, Object> e : map(configMap.get("data")).entrySet()) {
                if (e.getKey().endsWith(".properties")) {
                    Properties properties = new Properties();
                    properties.load(new StringReader((String) e.getValue()));
                    defined.addAll(properties.stringPropertyNames());
                }
            }
        }
        for (Object p : list(at(integration, "spec", "traits", "camel", "properties"))) {
            defined.add(((String) p).split("=", 2)[0].trim());
        }
        return defined;
    }

    /** Kubernetes probes every integration: restarted when not live, out of its Service when not ready. */
    @Test
    void everyIntegrationHasLivenessAndReadinessProbes() {
        for (Map<String, Object> integration : integrations(Manifests.build(K8S))) {
            Map<String, Object> health = map(at(integration, "spec", "traits", "health"));
            assertThat(health).as(Manifests.name(integration) + " health trait")
                    .containsEntry("enabled", true)
                    .containsEntry("livenessProbeEnabled", true)
                    .containsEntry("readinessProbeEnabled", true);
        }
    }

    /**
     * The health settings the examples application uses reach the integrations too, except its own HTTP server:
     * Camel K's runtime serves the probes.
     */
    @Test
    void theIntegrationsUseTheApplicationsHealthChecksWithoutItsManagementServer() throws IOException {
        Properties application = new Properties();
        try (var in = Files.newInputStream(ROOT.resolve("examples/src/main/resources/application.properties"))) {
            application.load(in);
        }
        Manifests.Build build = Manifests.build(K8S);
        for (Map<String, Object> integration : integrations(build)) {
            Properties configured = configuredProperties(build, integration);
            for (String key : application.stringPropertyNames()) {
                if (key.startsWith("camel.health.")) {
                    assertThat(configured.getProperty(key)).as(Manifests.name(integration) + ": " + key)
                            .isEqualTo(application.getProperty(key));
                }
            }
            assertThat(configured.getProperty("camel.management.enabled")).isEqualTo("false");
        }
    }

    private static Properties configuredProperties(Manifests.Build build, Map<String, Object> integration)
            throws IOException {
        Properties all = new Properties();
        for (Object c : list(at(integration, "spec", "traits", "mount", "configs"))) {
            if (!((String) c).startsWith("configmap:")) {
                continue;
            }
            String name = ((String) c).substring("configmap:".length()).split("[/@]")[0];
            Map<String, Object> configMap = build.ofKind("ConfigMap").stream()
                    .filter(o -> name.equals(Manifests.name(o))).findFirst().orElseThrow();
            for (Map.Entry<String, Object> e : map(configMap.get("data")).entrySet()) {
                if (e.getKey().endsWith(".properties")) {
                    all.load(new StringReader((String) e.getValue()));
                }
            }
        }
        return all;
    }

    @Test
    void theIntegrationsDependOnTheComponentAndTheExamplesAtTheProjectVersion() {
        String version = (String) at(KameletsTest.catalog(), "component", "version");
        for (Map<String, Object> integration : integrations(Manifests.build(K8S))) {
            assertThat(list(at(integration, "spec", "dependencies")))
                    .contains("mvn:io.minitoolstream:camel-minitoolstream:" + version,
                            "mvn:io.minitoolstream:minitoolstream-examples:" + version);
        }
    }
}
