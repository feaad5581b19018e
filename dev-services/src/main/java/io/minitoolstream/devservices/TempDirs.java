package io.minitoolstream.devservices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Temporary directories the servers and tests own. Each is named {@code <prefix><jvm pid>-<random>}: a JVM that
 * was killed (no shutdown hook ran) leaves its directories behind, and the next {@link #create(String)} with the
 * same prefix removes those whose JVM is gone. Directories of JVMs still running are never touched.
 */
final class TempDirs {

    private static final long OWN_PID = ProcessHandle.current().pid();
    private static final Set<String> SWEPT = ConcurrentHashMap.newKeySet();

    private TempDirs() {
    }

    /** A new directory under {@code java.io.tmpdir}, after removing the leftovers of dead JVMs with this prefix. */
    static Path create(String prefix) throws IOException {
        Path root = Path.of(System.getProperty("java.io.tmpdir"));
        if (SWEPT.add(prefix)) {
            sweepDeadOwners(root, prefix);
        }
        return Files.createTempDirectory(root, prefix + OWN_PID + "-");
    }

    /** Removes {@code <prefix><pid>-*} directories in {@code root} whose process is no longer alive. */
    static void sweepDeadOwners(Path root, String prefix) {
        Pattern owned = Pattern.compile(Pattern.quote(prefix) + "(\\d+)-.*");
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, prefix + "*")) {
            for (Path entry : entries) {
                Matcher m = owned.matcher(entry.getFileName().toString());
                if (!m.matches() || !Files.isDirectory(entry)) {
                    continue;
                }
                long pid = Long.parseLong(m.group(1));
                if (pid != OWN_PID && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                if (pid != OWN_PID) {
                    deleteQuietly(entry);
                }
            }
        } catch (IOException | UncheckedIOException | NumberFormatException ignored) {
            // Sweeping is a courtesy; it must never fail a start.
        }
    }

    /** Best effort: a leftover temp dir must never fail a test run or a shutdown. */
    static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // The OS cleans temp eventually; nothing useful to do here.
        }
    }
}
