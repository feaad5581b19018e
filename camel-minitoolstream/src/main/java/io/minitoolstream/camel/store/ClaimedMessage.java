package io.minitoolstream.camel.store;

/**
 * A message leased to one competing consumer; {@code deliveryCount} is counted by the server, 1 on first claim;
 * {@code lastFailure} is why its last delivery failed (null when none did), whichever consumer that was.
 */
public record ClaimedMessage(StoredMessage message, int deliveryCount, String lastFailure) {
}
