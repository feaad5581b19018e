/**
 * Internal: small pieces shared by consumers, producers and stores: the in-flight-bounded batcher (the one commit
 * path), header mapping, metrics and future helpers. Not an API: may change in any release.
 */
package io.minitoolstream.camel.support;
