/**
 * Internal: the producer and its operations: the publish protocol (upload first, then one insert that assigns the
 * sequence), TTL cleanup and the orphan sweep. Not an API: may change in any release.
 */
package io.minitoolstream.camel.producer;
