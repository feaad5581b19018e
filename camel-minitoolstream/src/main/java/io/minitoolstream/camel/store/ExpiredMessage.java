package io.minitoolstream.camel.store;

/** A message removed by TTL cleanup; {@code objectName} is null when its payload was inline. */
public record ExpiredMessage(long sequence, String subject, String objectName) {
}
