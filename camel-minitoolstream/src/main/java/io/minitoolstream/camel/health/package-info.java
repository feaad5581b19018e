/**
 * Internal: readiness checks of the stores for consumers and producers (Camel health). Not an API: may change in
 * any release.
 */
package io.minitoolstream.camel.health;
