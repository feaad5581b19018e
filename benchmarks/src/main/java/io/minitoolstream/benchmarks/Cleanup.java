package io.minitoolstream.benchmarks;

import java.util.Map;

import io.minitoolstream.camel.MiniToolStreamConstants;


/** Empties a subject between measurements (deleteOldMessages with a TTL of 0 s), so Tarantool's memory stays flat. */
final class Cleanup {

    private Cleanup() {
    }

    static void deleteSubject(BenchEnv env, String subject) {
        // create_at has second precision: wait until everything published is strictly older than "now".
        Load.sleep(1_100);
        long started = System.nanoTime();
        Object deleted = env.template.requestBodyAndHeaders("minitoolstream:" + subject
                + "?operation=deleteOldMessages", null, Map.of(MiniToolStreamConstants.TTL, 0L));
        Log.info("  deleted %s messages of %s in %d ms", deleted, subject, (System.nanoTime() - started) / 1_000_000);
    }
}
