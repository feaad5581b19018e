package io.minitoolstream.camel.store;

/**
 * What the server says when an ordered consumer starts delivering a batch.
 *
 * @param owner         false when another consumer holds the durable: deliver nothing
 * @param ready         false while the first message waits out its redelivery backoff (nothing was counted)
 * @param deliveryCount how often the first message has been delivered, this time included; stored per durable
 *                      and message, so it survives restarts and follows the message to the next owner
 * @param notBefore     epoch milliseconds before which it may not be redelivered; 0 when ready
 * @param lastFailure   why its last delivery failed; null when none did
 */
public record OrderedDelivery(boolean owner, boolean ready, int deliveryCount, long notBefore, String lastFailure) {
}
