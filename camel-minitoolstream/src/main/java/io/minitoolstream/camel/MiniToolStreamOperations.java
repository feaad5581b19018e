package io.minitoolstream.camel;

import io.minitoolstream.camel.store.NewMessagesStatus;


/** What a producer endpoint does with an exchange. */
public enum MiniToolStreamOperations {
    /** Stores the body as a new message; sets the sequence and object name headers. */
    publish,
    /** Body becomes the subject's newest sequence (0 when empty). */
    getLastSequence,
    /** Body becomes the messages after the durable's position (a List of MiniToolStreamMessage). */
    fetch,
    /** Like fetch, but never moves the position. */
    peek,
    /** Acknowledges up to the sequence header for the durable; body becomes whether the position moved. */
    ack,
    /** Body becomes the durable's last acknowledged sequence. */
    getConsumerPosition,
    /** Body becomes a NewMessagesStatus for the durable. */
    checkNewMessages,
    /**
     * Deletes messages older than the ttl and their payload objects; body becomes how many were deleted. Subject
     * {@code *} means every subject.
     */
    deleteOldMessages,
    /**
     * Removes payload objects that no message references and that are older than orphanGracePeriod; body becomes
     * how many were removed. Works on the whole bucket, so the subject is usually {@code *}.
     */
    sweepOrphans,
    /**
     * Moves the durable, backwards (replay) or forwards (skip): to the CamelMiniToolStreamStartTime header's time,
     * or else so that the CamelMiniToolStreamSequence header's sequence is delivered next (the position becomes
     * sequence - 1). The durable's active ordered consumer continues from there. Body becomes the new position.
     */
    resetPosition;

    /** Whether the subject {@code *} (every subject) makes sense for this operation. */
    public boolean acceptsAllSubjects() {
        return this == deleteOldMessages || this == sweepOrphans;
    }
}
