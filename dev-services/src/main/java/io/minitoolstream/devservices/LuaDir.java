package io.minitoolstream.devservices;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the project's {@code lua/} directory (the one holding {@code init.lua}).
 *
 * <p>Order: system property {@value #PROPERTY}, environment variable {@value #ENV}, then the
 * first {@code lua/} directory containing {@code init.lua} found walking up from the current
 * working directory (so it works from the repository root and from any module).
 */
public final class LuaDir {

    public static final String PROPERTY = "minitoolstream.lua.dir";
    public static final String ENV = "MTS_LUA_DIR";

    private LuaDir() {
    }

    /** The configured or discovered lua directory; throws if none contains {@code init.lua}. */
    public static Path locate() {
        String configured = System.getProperty(PROPERTY);
        String source = "system property " + PROPERTY;
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(ENV);
            source = "environment variable " + ENV;
        }
        if (configured != null && !configured.isBlank()) {
            return requireInit(Path.of(configured).toAbsolutePath().normalize(), source);
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (Path dir = cwd; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("lua");
            if (Files.isRegularFile(candidate.resolve("init.lua"))) {
                return candidate;
            }
        }
        throw new DevServicesException("No lua/init.lua found in " + cwd + " or any parent directory;"
                + " set -D" + PROPERTY + "=<dir> or " + ENV + "=<dir>");
    }

    /** Checks that an explicitly given directory holds {@code init.lua}. */
    static Path requireInit(Path dir, String source) {
        if (!Files.isRegularFile(dir.resolve("init.lua"))) {
            throw new DevServicesException("Lua directory " + dir + " (from " + source + ") has no init.lua");
        }
        return dir;
    }
}
