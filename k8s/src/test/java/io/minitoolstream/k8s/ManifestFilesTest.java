package io.minitoolstream.k8s;

import static io.minitoolstream.k8s.Manifests.K8S;
import static io.minitoolstream.k8s.Manifests.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class ManifestFilesTest {

    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

    @Test
    void everyYamlFileParses() {
        List<Path> files = Manifests.yamlFiles();
        assertThat(files).hasSizeGreaterThan(10);
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            try {
                if (Manifests.documents(file).isEmpty()) {
                    problems.add(K8S.relativize(file) + ": no document");
                }
            } catch (RuntimeException e) {
                problems.add(K8S.relativize(file) + ": " + e.getMessage());
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyObjectHasApiVersionKindAndAValidName() {
        List<String> problems = new ArrayList<>();
        for (Path file : Manifests.yamlFiles()) {
            if (Manifests.isKustomization(file)) {
                continue;
            }
            for (Map<String, Object> o : Manifests.documents(file)) {
                String where = K8S.relativize(file) + " " + o.get("kind") + " " + at(o, "metadata", "name");
                if (!(o.get("apiVersion") instanceof String v) || v.isBlank()) {
                    problems.add(where + ": no apiVersion");
                }
                if (!(o.get("kind") instanceof String k) || k.isBlank()) {
                    problems.add(where + ": no kind");
                }
                if (!(at(o, "metadata", "name") instanceof String name)) {
                    problems.add(where + ": no metadata.name");
                    continue;
                }
                problems.addAll(nameProblems(where, (String) o.get("kind"), name));
            }
        }
        assertThat(problems).isEmpty();
    }

    static List<String> nameProblems(String where, String kind, String name) {
        List<String> problems = new ArrayList<>();
        if (name.length() > 253 || !DNS1123_SUBDOMAIN.matcher(name).matches()) {
            problems.add(where + ": '" + name + "' is not a DNS-1123 subdomain");
        }
        if ("Service".equals(kind) && (name.length() > 63 || !DNS1035_LABEL.matcher(name).matches())) {
            problems.add(where + ": Service name '" + name + "' is not a DNS-1035 label");
        }
        if (Set.of("Namespace", "StatefulSet").contains(kind)
                && (name.length() > 63 || !DNS1123_LABEL.matcher(name).matches())) {
            problems.add(where + ": " + kind + " name '" + name + "' is not a DNS-1123 label");
        }
        return problems;
    }

    @Test
    void nameRulesRejectInvalidNames() {
        assertThat(nameProblems("x", "ConfigMap", "Bad_Name")).isNotEmpty();
        assertThat(nameProblems("x", "Service", "1tarantool")).isNotEmpty();
        assertThat(nameProblems("x", "Service", "tarantool.x")).isNotEmpty();
        assertThat(nameProblems("x", "ConfigMap", "tarantool-lua")).isEmpty();
    }

    /** No manifest is forgotten: each is a resource or patch of a kustomization (the Pipe is applied by hand). */
    @Test
    void everyManifestBelongsToAKustomization() {
        Set<Path> used = new HashSet<>();
        for (Path dir : Manifests.kustomizations()) {
            used.addAll(Manifests.build(dir).files());
        }
        List<Path> orphans = Manifests.yamlFiles().stream()
                .filter(p -> !Manifests.isKustomization(p))
                .filter(p -> !p.getFileName().toString().endsWith(".pipe.yaml"))
                .filter(p -> !used.contains(p.normalize()))
                .map(K8S::relativize)
                .toList();
        assertThat(orphans).isEmpty();
    }

    @Test
    void everyKustomizationSetsTheNamespace() {
        for (Path dir : Manifests.kustomizations()) {
            Map<String, Object> k = Manifests.documents(dir.resolve("kustomization.yaml")).get(0);
            assertThat(k.get("namespace")).as(dir.toString()).isEqualTo("minitoolstream");
        }
        assertThat(Manifests.build(K8S).ofKind("Namespace")).extracting(Manifests::name)
                .containsExactly("minitoolstream");
    }
}
