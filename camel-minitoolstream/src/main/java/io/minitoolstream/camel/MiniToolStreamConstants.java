package io.minitoolstream.camel;

import org.apache.camel.spi.Metadata;

/** Header names the component reads and writes. */
public final class MiniToolStreamConstants {

    @Metadata(label = "producer", description = "The producer operation to run; overrides the operation option.",
              javaType = "io.minitoolstream.camel.MiniToolStreamOperations")
    public static final String OPERATION = "CamelMiniToolStreamOperation";

    @Metadata(description = "The message's sequence. Set on consumed exchanges and after publish; read by the ack"
                            + " operation as the sequence to acknowledge, and by resetPosition as the sequence to"
                            + " deliver next.",
              javaType = "Long")
    public static final String SEQUENCE = "CamelMiniToolStreamSequence";

    @Metadata(label = "consumer", description = "The subject the consumed message was published to.", javaType = "String")
    public static final String SUBJECT = "CamelMiniToolStreamSubject";

    @Metadata(description = "The object storage key of the payload; null when the payload is stored inline.",
              javaType = "String")
    public static final String OBJECT_NAME = "CamelMiniToolStreamObjectName";

    @Metadata(label = "consumer", description = "When the message was published, in milliseconds since the epoch"
                                               + " (second precision for messages stored before schema version 6).",
              javaType = "Long")
    public static final String TIMESTAMP = "CamelMiniToolStreamTimestamp";

    @Metadata(label = "consumer", description = "How many times this consumer has delivered the message, 1 on first"
                                               + " delivery (counted in memory: a restart starts again at 1).",
              javaType = "Integer")
    public static final String DELIVERY_COUNT = "CamelMiniToolStreamDeliveryCount";

    @Metadata(label = "consumer", description = "The payload size in bytes, when it was known at publish time.",
              javaType = "Long")
    public static final String SIZE = "CamelMiniToolStreamSize";

    @Metadata(label = "producer", description = "The durable consumer name for the fetch, peek, ack,"
                                               + " getConsumerPosition and checkNewMessages operations;"
                                               + " overrides the durable option.",
              javaType = "String")
    public static final String DURABLE = "CamelMiniToolStreamDurable";

    @Metadata(label = "producer", description = "The most messages a fetch or peek returns; overrides"
                                               + " maxMessagesPerPoll.",
              javaType = "Integer")
    public static final String LIMIT = "CamelMiniToolStreamLimit";

    @Metadata(label = "producer", description = "Time to live in seconds for deleteOldMessages; overrides the ttl"
                                               + " option.",
              javaType = "Long")
    public static final String TTL = "CamelMiniToolStreamTtl";

    @Metadata(label = "producer", description = "For fetch: acknowledge the fetched messages at once (the position"
                                               + " moves to the last one returned). Default false.",
              javaType = "Boolean")
    public static final String AUTO_ACK = "CamelMiniToolStreamAutoAck";

    @Metadata(label = "producer", description = "For publish: the message's idempotency key (1-255 bytes). Within"
                                               + " the duplicateWindow, a second publish of the same id to the same"
                                               + " subject stores and uploads nothing and returns the original's"
                                               + " sequence and object name.",
              javaType = "String")
    public static final String MESSAGE_ID = "CamelMiniToolStreamMessageId";

    @Metadata(label = "producer", description = "Set after publish: true when the message id was already stored"
                                               + " within the duplicateWindow (nothing was stored; the sequence and"
                                               + " object name headers are the original's), false otherwise.",
              javaType = "Boolean")
    public static final String DUPLICATE = "CamelMiniToolStreamDuplicate";

    @Metadata(label = "producer", description = "For resetPosition: move the durable to the first message published"
                                               + " at or after this time (an ISO-8601 instant such as"
                                               + " 2026-12-01T10:15:30Z, epoch milliseconds, or a java.time.Instant"
                                               + " / java.util.Date). Takes precedence over the sequence header.",
              javaType = "String")
    public static final String START_TIME = "CamelMiniToolStreamStartTime";

    // The dead-letter headers are stored with the message, so they carry no Camel prefix (Camel* headers are
    // never stored or restored).
    @Metadata(label = "consumer", description = "On a message the consumer published to the dead-letter subject:"
                                               + " why the original could not be delivered.",
              javaType = "String")
    public static final String DEAD_LETTER_REASON = "MiniToolStreamDeadLetterReason";

    @Metadata(label = "consumer", description = "On a dead letter: the subject of the original message.",
              javaType = "String")
    public static final String DEAD_LETTER_SUBJECT = "MiniToolStreamDeadLetterSubject";

    @Metadata(label = "consumer", description = "On a dead letter: the sequence of the original message.",
              javaType = "String")
    public static final String DEAD_LETTER_SEQUENCE = "MiniToolStreamDeadLetterSequence";

    private MiniToolStreamConstants() {
    }
}
