package io.minitoolstream.camel.store;

/**
 * A durable's reset count, and (when the caller had not seen the latest reset) the position it was reset to;
 * {@code position} is null when nothing changed.
 */
public record PositionReset(long resets, Long position) {
}
