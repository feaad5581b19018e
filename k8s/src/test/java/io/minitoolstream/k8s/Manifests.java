package io.minitoolstream.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads k8s/ the way kustomize would, as far as the tests need: the resources of a kustomization (directories
 * recursively), its strategic-merge patches (maps merged, lists of named maps merged by name, other lists
 * replaced) and the ConfigMaps/Secrets its generators make.
 */
final class Manifests {

    /** The k8s/ directory (the module's base directory). */
    static final Path K8S = locateK8s();
    /** The repository root. */
    static final Path ROOT = K8S.getParent();

    private Manifests() {
    }

    private static Path locateK8s() {
        Path dir = Paths.get("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("kustomization.yaml")) && p.getFileName().toString().equals("k8s")) {
                return p;
            }
            if (Files.isRegularFile(p.resolve("k8s/kustomization.yaml"))) {
                return p.resolve("k8s");
            }
        }
        throw new IllegalStateException("k8s/kustomization.yaml not found above " + dir);
    }

    static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every YAML document of a file (empty documents dropped). */
    static List<Map<String, Object>> documents(Path file) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : yaml().loadAll(read(file))) {
            if (doc == null) {
                continue;
            }
            if (!(doc instanceof Map)) {
                throw new IllegalArgumentException(file + ": a document is not a mapping: " + doc);
            }
            docs.add(map(doc));
        }
        return docs;
    }

    /** Every *.yaml / *.yml file under k8s/, build output excepted. */
    static List<Path> yamlFiles() {
        try (Stream<Path> files = Files.walk(K8S)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !K8S.relativize(p).startsWith("target"))
                    .filter(p -> !K8S.relativize(p).startsWith("src"))
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isKustomization(Path file) {
        return file.getFileName().toString().equals("kustomization.yaml");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }

    /** A nested value by keys, or null. */
    static Object at(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            if (!(current instanceof Map)) {
                return null;
            }
            current = ((Map<?, ?>) current).get(key);
        }
        return current;
    }

    static String kind(Map<String, Object> object) {
        return (String) object.get("kind");
    }

    static String name(Map<String, Object> object) {
        return (String) at(object, "metadata", "name");
    }

    /** A ConfigMap or Secret a generator makes: its name (before the hash suffix) and its keys -> source files. */
    record Generated(String kind, String name, Map<String, Path> files, Set<String> keys) {
    }

    /** The result of building one kustomization. */
    record Build(Path dir, List<Map<String, Object>> objects, List<Generated> generated, List<Path> files) {

        List<Map<String, Object>> ofKind(String kind) {
            return objects.stream().filter(o -> kind.equals(kind(o))).toList();
        }

        /** Keys of the ConfigMap or Secret of that name, defined or generated; null when there is none. */
        Set<String> keysOf(String kind, String name) {
            for (Generated g : generated) {
                if (g.kind().equals(kind) && g.name().equals(name)) {
                    return g.keys();
                }
            }
            for (Map<String, Object> o : ofKind(kind)) {
                if (name.equals(name(o))) {
                    Set<String> keys = new LinkedHashSet<>();
                    keys.addAll(map(o.get("data")).keySet());
                    keys.addAll(map(o.get("stringData")).keySet());
                    keys.addAll(map(o.get("binaryData")).keySet());
                    return keys;
                }
            }
            return null;
        }
    }

    static Build build(Path dir) {
        Path kustomizationFile = dir.resolve("kustomization.yaml");
        Map<String, Object> k = documents(kustomizationFile).get(0);
        List<Map<String, Object>> objects = new ArrayList<>();
        List<Generated> generated = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (Object entry : list(k.get("resources"))) {
            Path p = dir.resolve((String) entry).normalize();
            if (Files.isDirectory(p)) {
                Build inner = build(p);
                objects.addAll(inner.objects());
                generated.addAll(inner.generated());
                files.addAll(inner.files());
            } else {
                if (!Files.isRegularFile(p)) {
                    throw new IllegalArgumentException(kustomizationFile + ": resource " + entry + " does not exist");
                }
                files.add(p);
                objects.addAll(documents(p));
            }
        }
        for (Object entry : list(k.get("patches"))) {
            Object patchPath = map(entry).get("path");
            if (patchPath == null) {
                throw new IllegalArgumentException(kustomizationFile + ": only file patches are supported: " + entry);
            }
            Path p = dir.resolve((String) patchPath).normalize();
            files.add(p);
            for (Map<String, Object> patch : documents(p)) {
                Map<String, Object> target = objects.stream()
                        .filter(o -> Objects.equals(kind(o), kind(patch)) && Objects.equals(name(o), name(patch)))
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(p + ": patches " + kind(patch) + " "
                                + name(patch) + ", which the kustomization does not define"));
                objects.set(objects.indexOf(target), map(merge(target, patch)));
            }
        }
        generated.addAll(generators(dir, k, "configMapGenerator", "ConfigMap"));
        generated.addAll(generators(dir, k, "secretGenerator", "Secret"));
        return new Build(dir, objects, generated, files);
    }

    private static List<Generated> generators(Path dir, Map<String, Object> k, String field, String kind) {
        List<Generated> result = new ArrayList<>();
        for (Object g : list(k.get(field))) {
            Map<String, Object> generator = map(g);
            Map<String, Path> files = new LinkedHashMap<>();
            Set<String> keys = new LinkedHashSet<>();
            for (Object f : list(generator.get("files"))) {
                String spec = (String) f;
                int eq = spec.indexOf('=');
                Path source = dir.resolve(eq < 0 ? spec : spec.substring(eq + 1)).normalize();
                String key = eq < 0 ? source.getFileName().toString() : spec.substring(0, eq);
                if (files.put(key, source) != null) {
                    throw new IllegalArgumentException(field + " " + generator.get("name") + ": key " + key + " twice");
                }
                keys.add(key);
            }
            for (Object l : list(generator.get("literals"))) {
                String literal = (String) l;
                keys.add(literal.substring(0, literal.indexOf('=')));
            }
            result.add(new Generated(kind, (String) generator.get("name"), files, keys));
        }
        return result;
    }

    /** Strategic merge, simplified: maps merge, lists of maps with "name" merge by name, other lists replace. */
    static Object merge(Object base, Object patch) {
        if (base instanceof Map && patch instanceof Map) {
            Map<String, Object> result = new LinkedHashMap<>(map(base));
            map(patch).forEach((key, value) -> result.put(key, result.containsKey(key) ? merge(result.get(key), value) : value));
            return result;
        }
        if (base instanceof List && patch instanceof List && isNamedList(list(base)) && isNamedList(list(patch))) {
            List<Object> result = new ArrayList<>(list(base));
            for (Object item : list(patch)) {
                Object itemName = map(item).get("name");
                int index = -1;
                for (int i = 0; i < result.size(); i++) {
                    if (Objects.equals(map(result.get(i)).get("name"), itemName)) {
                        index = i;
                    }
                }
                if (index < 0) {
                    result.add(item);
                } else {
                    result.set(index, merge(result.get(index), item));
                }
            }
            return result;
        }
        return patch;
    }

    private static boolean isNamedList(List<Object> items) {
        return !items.isEmpty() && items.stream().allMatch(i -> i instanceof Map && map(i).get("name") instanceof String);
    }

    /** The kustomizations the tests build: k8s/ and each overlay. */
    static List<Path> kustomizations() {
        List<Path> dirs = new ArrayList<>();
        dirs.add(K8S);
        Path overlays = K8S.resolve("overlays");
        if (Files.isDirectory(overlays)) {
            try (Stream<Path> s = Files.list(overlays)) {
                s.filter(p -> Files.isRegularFile(p.resolve("kustomization.yaml"))).sorted().forEach(dirs::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dirs;
    }

    /**
     * A workload's pod template: Deployments/StatefulSets/DaemonSets/Jobs, and Camel K Integrations (their pods
     * carry camel.apache.org/integration: name; their containers come from spec.template).
     */
    record PodTemplate(String owner, Map<String, Object> labels, Map<String, Object> spec) {
    }

    static List<PodTemplate> podTemplates(List<Map<String, Object>> objects) {
        List<PodTemplate> result = new ArrayList<>();
        for (Map<String, Object> o : objects) {
            String kind = kind(o);
            if (Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job").contains(kind)) {
                result.add(new PodTemplate(kind + "/" + name(o), map(at(o, "spec", "template", "metadata", "labels")),
                        map(at(o, "spec", "template", "spec"))));
            } else if ("Integration".equals(kind)) {
                result.add(new PodTemplate(kind + "/" + name(o), Map.of("camel.apache.org/integration", name(o)),
                        map(at(o, "spec", "template", "spec"))));
            } else if ("Pipe".equals(kind)) {
                result.add(new PodTemplate(kind + "/" + name(o), Map.of("camel.apache.org/integration", name(o)),
                        map(at(o, "spec", "integration", "template", "spec"))));
            }
        }
        return result;
    }

    static List<Map<String, Object>> containers(PodTemplate pod) {
        List<Map<String, Object>> result = new ArrayList<>();
        list(pod.spec().get("containers")).forEach(c -> result.add(map(c)));
        list(pod.spec().get("initContainers")).forEach(c -> result.add(map(c)));
        return result;
    }
}
