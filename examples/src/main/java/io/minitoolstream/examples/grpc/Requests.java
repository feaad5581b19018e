package io.minitoolstream.examples.grpc;

import io.minitoolstream.camel.MiniToolStreamConfiguration;
import io.minitoolstream.camel.SubjectNames;


/**
 * Checks request fields before anything reaches the store. Failures are {@link IllegalArgumentException}s whose
 * message names the field and the bad value, e.g. {@code invalid batch_size 0: must be at least 1}.
 */
public final class Requests {

    private Requests() {
    }

    public static String durable(String durable) {
        return SubjectNames.requireValid("durable_name", durable);
    }

    /** A batch size of at least 1; larger than the component's cap it is lowered to the cap. */
    public static int batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("invalid batch_size " + batchSize + ": must be at least 1");
        }
        return Math.min(batchSize, MiniToolStreamConfiguration.MAX_MESSAGES_PER_POLL_CAP);
    }

    /** A sequence as sent on the wire (uint64): at least 1, and within the range Tarantool stores. */
    public static long sequence(long sequence) {
        if (sequence == 0) {
            throw new IllegalArgumentException("invalid sequence 0: must be at least 1");
        }
        if (sequence < 0) {
            throw new IllegalArgumentException("invalid sequence " + Long.toUnsignedString(sequence)
                                               + ": must be below 2^63");
        }
        return sequence;
    }
}
