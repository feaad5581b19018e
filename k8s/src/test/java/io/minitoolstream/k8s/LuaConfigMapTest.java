package io.minitoolstream.k8s;

import static io.minitoolstream.k8s.Manifests.ROOT;
import static io.minitoolstream.k8s.Manifests.at;
import static io.minitoolstream.k8s.Manifests.list;
import static io.minitoolstream.k8s.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The Tarantool pods see lua/ exactly: the generated ConfigMap, mounted through the volume's items. */
@Tag("fast")
class LuaConfigMapTest {

    private static final String CONFIG_MAP = "tarantool-lua";
    private static final Path LUA = ROOT.resolve("lua");

    private static Manifests.Generated generator() {
        return Manifests.build(Manifests.K8S).generated().stream()
                .filter(g -> g.kind().equals("ConfigMap") && g.name().equals(CONFIG_MAP))
                .findFirst().orElseThrow(() -> new AssertionError("kustomization.yaml generates no ConfigMap " + CONFIG_MAP));
    }

    /** lua/ without lua/test/: relative path -> bytes. */
    private static Map<String, byte[]> luaTree() throws IOException {
        Map<String, byte[]> tree = new TreeMap<>();
        try (Stream<Path> files = Files.walk(LUA)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Path rel = LUA.relativize(p);
                if (!rel.startsWith("test")) {
                    tree.put(rel.toString().replace('\\', '/'), Files.readAllBytes(p));
                }
            }
        }
        return tree;
    }

    @Test
    void everyLuaFileIsInTheGeneratorAndNothingElse() throws IOException {
        List<String> sources = generator().files().values().stream()
                .map(p -> {
                    assertThat(p.normalize()).as("generator source").startsWith(LUA);
                    return LUA.relativize(p.normalize()).toString().replace('\\', '/');
                })
                .sorted().toList();
        assertThat(sources).containsExactlyElementsOf(luaTree().keySet());
        generator().keys().forEach(k -> assertThat(k).as("ConfigMap key").matches("[-._a-zA-Z0-9]+"));
    }

    /** What the StatefulSet mounts (mount path + item path -> content) equals lua/ byte for byte. */
    @Test
    void theMountedTreeEqualsLuaByteForByte() throws IOException {
        Manifests.Generated generator = generator();
        Map<String, Object> sts = Manifests.build(Manifests.K8S).ofKind("StatefulSet").stream()
                .filter(o -> "tarantool".equals(Manifests.name(o))).findFirst().orElseThrow();
        Map<String, Object> volume = list(at(sts, "spec", "template", "spec", "volumes")).stream().map(Manifests::map)
                .filter(v -> CONFIG_MAP.equals(at(v, "configMap", "name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no volume from ConfigMap " + CONFIG_MAP));
        Map<String, byte[]> mounted = new LinkedHashMap<>();
        for (Object i : list(at(volume, "configMap", "items"))) {
            Map<String, Object> item = map(i);
            Path source = generator.files().get((String) item.get("key"));
            assertThat(source).as("generated key " + item.get("key")).isNotNull();
            assertThat(mounted.put((String) item.get("path"), Manifests.bytes(source))).as("path " + item.get("path")).isNull();
        }
        Map<String, byte[]> expected = luaTree();
        assertThat(mounted.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        List<String> different = new ArrayList<>();
        expected.forEach((path, bytes) -> {
            if (!Arrays.equals(bytes, mounted.get(path))) {
                different.add(path);
            }
        });
        assertThat(different).as("mounted files whose content differs from lua/").isEmpty();

        // The container runs init.lua from where the volume is mounted.
        Map<String, Object> container = map(list(at(sts, "spec", "template", "spec", "containers")).get(0));
        String mountPath = list(container.get("volumeMounts")).stream().map(Manifests::map)
                .filter(m -> volume.get("name").equals(m.get("name"))).map(m -> (String) m.get("mountPath"))
                .findFirst().orElseThrow();
        assertThat(String.join(" ", list(container.get("command")).stream().map(String::valueOf).toList()))
                .contains(mountPath + "/init.lua");
    }

    @Test
    void theConfigMapFitsTheSizeLimit() {
        long total = generator().files().values().stream().mapToLong(p -> Manifests.bytes(p).length).sum();
        assertThat(total).isLessThan(1024 * 1024 - 16 * 1024);
    }
}
