package io.minitoolstream.k8s;

import org.junit.jupiter.api.Tag;
import static io.minitoolstream.k8s.Manifests.at;
import static io.minitoolstream.k8s.Manifests.list;
import static io.minitoolstream.k8s.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Tag("fast")
class ServicesTest {

    static List<Path> kustomizations() {
        return Manifests.kustomizations();
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void everyServiceSelectsAWorkloadAndItsPorts(Path dir) {
        assertThat(problems(Manifests.build(dir).objects())).isEmpty();
    }

    static List<String> problems(List<Map<String, Object>> objects) {
        List<Manifests.PodTemplate> pods = Manifests.podTemplates(objects);
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> services = objects.stream().filter(o -> "Service".equals(Manifests.kind(o))).toList();
        assertThat(services).isNotEmpty();
        for (Map<String, Object> service : services) {
            String where = "Service " + Manifests.name(service);
            Map<String, Object> selector = map(at(service, "spec", "selector"));
            if (selector.isEmpty()) {
                problems.add(where + ": no selector");
                continue;
            }
            List<Manifests.PodTemplate> selected = pods.stream()
                    .filter(p -> selector.entrySet().stream()
                            .allMatch(e -> Objects.equals(String.valueOf(p.labels().get(e.getKey())), String.valueOf(e.getValue()))))
                    .toList();
            if (selected.isEmpty()) {
                problems.add(where + ": selector " + selector + " matches no workload's pod labels");
                continue;
            }
            for (Object p : list(at(service, "spec", "ports"))) {
                Map<String, Object> port = map(p);
                Object target = port.get("targetPort") != null ? port.get("targetPort") : port.get("port");
                for (Manifests.PodTemplate pod : selected) {
                    boolean found = Manifests.containers(pod).stream()
                            .flatMap(c -> list(c.get("ports")).stream().map(Manifests::map))
                            .anyMatch(cp -> target instanceof Integer
                                    ? Objects.equals(cp.get("containerPort"), target)
                                    : Objects.equals(cp.get("name"), target));
                    if (!found) {
                        problems.add(where + ": targetPort " + target + " is not a container port of " + pod.owner());
                    }
                }
            }
        }
        return problems;
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void statefulSetsHaveTheirGoverningServiceAndMatchingSelectors(Path dir) {
        Manifests.Build build = Manifests.build(dir);
        List<String> serviceNames = build.ofKind("Service").stream().map(Manifests::name).toList();
        for (Map<String, Object> sts : build.ofKind("StatefulSet")) {
            assertThat(serviceNames).as("serviceName of " + Manifests.name(sts)).contains((String) at(sts, "spec", "serviceName"));
            Map<String, Object> labels = map(at(sts, "spec", "template", "metadata", "labels"));
            map(at(sts, "spec", "selector", "matchLabels")).forEach((k, v) ->
                    assertThat(labels).as("pod labels of " + Manifests.name(sts)).containsEntry(k, v));
            assertThat(list(at(sts, "spec", "volumeClaimTemplates"))).as("PVC of " + Manifests.name(sts)).isNotEmpty();
        }
    }
}
