/**
 * The storage contract: {@link io.minitoolstream.camel.store.StreamStore} (records, positions and leases in
 * Tarantool; one method per Lua function the component calls) and {@link io.minitoolstream.camel.store.PayloadStore}
 * (payload bytes in S3-compatible storage), their records, and typed exceptions a caller decides on.
 */
package io.minitoolstream.camel.store;
