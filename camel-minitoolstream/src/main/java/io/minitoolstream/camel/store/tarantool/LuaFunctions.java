package io.minitoolstream.camel.store.tarantool;

/**
 * The Lua functions the component calls, and the schema version that has them all: the only place their names
 * appear. Each is one global function of {@code lua/minitoolstream} (the component API part).
 */
final class LuaFunctions {

    /** The schema version whose migrations created everything below; readiness checks require at least this one. */
    static final int REQUIRED_SCHEMA_VERSION = 7;

    static final String PUBLISH_RECORD = "publish_record";
    static final String PUBLISH_RECORDS = "publish_records";
    static final String FETCH_MESSAGES = "fetch_messages";
    static final String PEEK_MESSAGES = "peek_messages";
    static final String GET_LATEST_SEQUENCE = "get_latest_sequence_for_subject";
    static final String GET_CONSUMER_POSITION = "get_consumer_position";
    static final String ACK = "grpc_ack";
    static final String CHECK_NEW_MESSAGES = "check_new_messages";
    static final String GET_NEW_MESSAGES_COUNT = "get_new_messages_count";
    static final String DELETE_EXPIRED = "delete_expired_messages";
    static final String FIND_UNREFERENCED_OBJECTS = "find_unreferenced_objects";
    static final String GET_SCHEMA_VERSION = "get_schema_version";
    static final String CLAIM = "claim_messages";
    static final String ACK_CLAIMED = "ack_claimed";
    static final String ACK_CLAIMED_BATCH = "ack_claimed_batch";
    static final String RELEASE_CLAIMED = "release_claimed";
    static final String ACQUIRE_ORDERED = "acquire_ordered";
    static final String RELEASE_ORDERED = "release_ordered";
    static final String START_ORDERED_DELIVERY = "start_ordered_delivery";
    static final String ACK_ORDERED = "ack_ordered";
    static final String FAIL_DELIVERY = "fail_delivery";
    static final String EXTEND_CLAIMS = "extend_claims";
    static final String FIND_MESSAGE_ID = "find_message_id";
    static final String GET_POSITION_AT_TIME = "get_position_at_time";
    static final String RESET_POSITION = "reset_position";
    static final String ADOPT_POSITION_RESET = "adopt_position_reset";
    static final String GET_STORED_POSITION = "get_stored_position";

    private LuaFunctions() {
    }
}
