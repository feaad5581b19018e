package io.minitoolstream.devservices;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version of a Tarantool binary ({@code tarantool --version}), so tests can skip, with a message naming it,
 * what that version cannot do:
 *
 * <pre>{@code
 * TarantoolVersion version = TarantoolVersion.installed();
 * assumeTrue(version.hasElections(), version.lacks("leader election"));
 * }</pre>
 */
public record TarantoolVersion(int major, int minor, int patch, String text) {

    private static final Pattern VERSION = Pattern.compile("Tarantool\\s+(?:Enterprise\\s+)?(\\d+)\\.(\\d+)\\.(\\d+)\\S*");
    private static final Map<String, TarantoolVersion> CACHE = new ConcurrentHashMap<>();

    public TarantoolVersion {
        Objects.requireNonNull(text, "text");
    }

    /** The binary test servers use by default: {@code MTS_TARANTOOL} when set, else {@code tarantool} on PATH. */
    public static TarantoolVersion installed() {
        return of(Executables.tarantool());
    }

    /** Runs {@code <binary> --version} once per binary and parses the first line. */
    public static TarantoolVersion of(String binary) {
        return CACHE.computeIfAbsent(binary, TarantoolVersion::probe);
    }

    static TarantoolVersion parse(String firstLine) {
        Matcher m = VERSION.matcher(firstLine);
        if (!m.find()) {
            throw new DevServicesException("Cannot read a Tarantool version from '" + firstLine + "'");
        }
        return new TarantoolVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), m.group().substring("Tarantool".length()).strip());
    }

    private static TarantoolVersion probe(String binary) {
        Path executable = Executables.find(binary).orElseThrow(() -> new DevServicesException(
                "Tarantool binary '" + binary + "' not found"));
        try {
            Process process = new ProcessBuilder(executable.toString(), "--version").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return parse(output.lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new DevServicesException("Could not run " + executable + " --version: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevServicesException("Interrupted while asking " + executable + " for its version", e);
        }
    }

    public boolean atLeast(int wantedMajor, int wantedMinor) {
        return major != wantedMajor ? major > wantedMajor : minor >= wantedMinor;
    }

    /**
     * Leader election that owns the synchronous queue ({@code MTS_ELECTION}): 2.10 and later. Debian's 2.6.0 has
     * neither elections nor {@code box.ctl.promote}.
     */
    public boolean hasElections() {
        return atLeast(2, 10);
    }

    /** A skip message: "Tarantool 2.6.0-0-g47aa4e01e has no leader election (set MTS_TARANTOOL ...)". */
    public String lacks(String feature) {
        return "Tarantool " + text + " has no " + feature + "; set " + Executables.TARANTOOL_ENV
                + " to a Tarantool 2.10+ binary (or put one first on PATH) to run this";
    }

    @Override
    public String toString() {
        return text;
    }
}
