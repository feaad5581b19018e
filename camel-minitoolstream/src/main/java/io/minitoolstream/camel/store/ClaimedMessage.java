package io.minitoolstream.camel.store;

/** A message leased to one competing consumer; {@code deliveryCount} is counted by the server, 1 on first claim. */
public record ClaimedMessage(StoredMessage message, int deliveryCount) {
}
