package io.minitoolstream.camel.store;

/** What {@code check_new_messages} reports for a durable on a subject. */
public record NewMessagesStatus(boolean hasNew, long latestSequence, long consumerPosition, long newCount) {
}
