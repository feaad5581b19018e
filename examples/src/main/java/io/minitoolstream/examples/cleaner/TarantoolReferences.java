package io.minitoolstream.examples.cleaner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.minitoolstream.camel.store.StreamStore;

/**
 * Asks Tarantool which object names no message references, with one call of the Lua function
 * {@value #FUNCTION}{@code (object_names)}: it takes an array of object names and returns the array of those
 * that no {@code message} row has as {@code object_name}.
 */
public final class TarantoolReferences implements OrphanSweeper.References {

    public static final String FUNCTION = "find_unreferenced_objects";

    private final StreamStore store;
    private final Duration timeout;

    public TarantoolReferences(StreamStore store, Duration timeout) {
        this.store = store;
        this.timeout = timeout;
    }

    @Override
    public List<String> unreferenced(List<String> names) throws Exception {
        if (names.isEmpty()) {
            return List.of();
        }
        List<?> results = store.call(FUNCTION, (Object) names).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Object first = results.isEmpty() ? null : results.get(0);
        if (first == null || first instanceof Map<?, ?> map && map.isEmpty()) {
            // nil, or an empty Lua table encoded as a map
            return List.of();
        }
        if (!(first instanceof List<?> list)) {
            throw new IllegalStateException("unexpected result from " + FUNCTION + ": " + first.getClass().getName());
        }
        List<String> unreferenced = new ArrayList<>(list.size());
        for (Object name : list) {
            unreferenced.add(String.valueOf(name));
        }
        return unreferenced;
    }
}
