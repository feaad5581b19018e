package io.minitoolstream.devservices;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Resolves a program name against PATH, the way a shell would. */
final class Executables {

    /** Environment variable naming the Tarantool binary to use (a path), e.g. a newer build than PATH's. */
    static final String TARANTOOL_ENV = "MTS_TARANTOOL";

    private Executables() {
    }

    /** The Tarantool program: {@value #TARANTOOL_ENV} when set, else {@code tarantool} (looked up on PATH). */
    static String tarantool() {
        String configured = System.getenv(TARANTOOL_ENV);
        return configured == null || configured.isBlank() ? "tarantool" : configured.strip();
    }

    /** The executable for {@code name}: taken as a path when it contains a separator, else looked up on PATH. */
    static Optional<Path> find(String name) {
        if (name.contains(File.separator)) {
            Path path = Path.of(name);
            return Files.isRegularFile(path) && Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String pathVar = System.getenv("PATH");
        if (pathVar == null) {
            return Optional.empty();
        }
        for (String dir : pathVar.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
