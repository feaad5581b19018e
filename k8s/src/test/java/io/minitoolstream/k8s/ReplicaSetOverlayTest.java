package io.minitoolstream.k8s;

import static io.minitoolstream.k8s.Manifests.at;
import static io.minitoolstream.k8s.Manifests.list;
import static io.minitoolstream.k8s.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The replica set overlay is a 3-member election cluster: replicas, peers and the integrations' addresses agree,
 * every member runs with MTS_ELECTION on a Tarantool image that has elections (2.10+), one pod bootstraps.
 */
@Tag("fast")
class ReplicaSetOverlayTest {

    private static final Manifests.Build BUILD = Manifests.build(Manifests.K8S.resolve("overlays/replicaset"));

    @Test
    void threeMembersElectTheirLeaderOnATarantoolThatHasElections() {
        Map<String, Object> statefulSet = tarantool();
        assertThat(at(statefulSet, "spec", "replicas")).isEqualTo(3);
        Map<String, Object> container = map(list(at(statefulSet, "spec", "template", "spec", "containers")).get(0));
        Matcher version = Pattern.compile("tarantool/tarantool:(\\d+)\\.(\\d+)").matcher((String) container.get("image"));
        assertThat(version.find()).as("a versioned tarantool image").isTrue();
        int major = Integer.parseInt(version.group(1));
        int minor = Integer.parseInt(version.group(2));
        assertThat(major > 2 || (major == 2 && minor >= 10)).as("Tarantool 2.10+ (leader election)").isTrue();

        Map<String, Object> config = data("tarantool-replication");
        assertThat(config.get("election")).isEqualTo("candidate");
        assertThat(config.get("sync")).isEqualTo("1");
        assertThat(Double.parseDouble((String) config.get("election-timeout"))).isPositive();
        assertThat(envFromConfig(container)).contains("MTS_ELECTION", "MTS_ELECTION_TIMEOUT", "MTS_REPLICATION",
                "MTS_SYNC", "MTS_REPLICATION_TIMEOUT");
    }

    @Test
    void peersIntegrationAddressesAndPodsAgree() {
        List<String> peers = Arrays.asList(((String) data("tarantool-replication").get("peers")).split(","));
        assertThat(peers).containsExactly("tarantool-0.tarantool-headless:3301", "tarantool-1.tarantool-headless:3301",
                "tarantool-2.tarantool-headless:3301");
        assertThat(peers).hasSize((Integer) at(tarantool(), "spec", "replicas"));
        String properties = (String) data("minitoolstream-integration").get("tarantool.properties");
        assertThat(properties).contains("camel.component.minitoolstream.addresses = " + String.join(",", peers));
        // The pod that bootstraps a fresh set is one of the members.
        assertThat(peers).anyMatch(p -> p.startsWith(data("tarantool-replication").get("bootstrap") + "."));
    }

    private static Map<String, Object> tarantool() {
        return BUILD.ofKind("StatefulSet").stream().filter(o -> "tarantool".equals(Manifests.name(o))).findFirst()
                .orElseThrow();
    }

    private static Map<String, Object> data(String configMap) {
        return map(BUILD.ofKind("ConfigMap").stream().filter(o -> configMap.equals(Manifests.name(o))).findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap " + configMap)).get("data"));
    }

    private static List<String> envFromConfig(Map<String, Object> container) {
        return list(container.get("env")).stream().map(Manifests::map)
                .filter(e -> at(e, "valueFrom", "configMapKeyRef") != null)
                .map(e -> (String) e.get("name")).toList();
    }
}
