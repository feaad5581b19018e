/**
 * {@link io.minitoolstream.camel.store.StreamStore} on Tarantool through cartridge-driver: the only package that
 * knows Lua function names, the driver, and how server errors map to the store's exception types. Its settings and
 * client factory are public for users who build clients themselves; the rest is internal.
 */
package io.minitoolstream.camel.store.tarantool;
