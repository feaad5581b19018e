/**
 * Internal: the consumers. {@link io.minitoolstream.camel.consumer.StreamConsumer} owns the stores, metrics and
 * delivery path; {@link io.minitoolstream.camel.consumer.OrderedConsumer} (one active consumer per durable, strict
 * order) and {@link io.minitoolstream.camel.consumer.CompetingConsumer} (leased messages, any order) build on it
 * with payload prefetch, batch read-ahead, position writes and dead letters. Not an API: may change in any
 * release.
 */
package io.minitoolstream.camel.consumer;
