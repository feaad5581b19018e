package io.minitoolstream.camel.store;

/**
 * The schema version the server's Lua module migrated to, and the one this component needs.
 *
 * @param current  what the server reports
 * @param required the lowest version that has every function the component calls
 */
public record SchemaVersion(long current, long required) {

    public boolean isSufficient() {
        return current >= required;
    }
}
