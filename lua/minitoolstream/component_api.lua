-- The component API: the functions the Camel component calls beyond the seed API (batched
-- publishes with inline payloads, fetch and peek in the component's shape, bounded cleanup,
-- the orphan sweep's question, replica-set discovery) and the consumers' leases (claims.lua).

local claims = require('minitoolstream.claims')
local replication = require('minitoolstream.replication')
local compat = require('minitoolstream.compat')
local S = require('minitoolstream.schema')
local R = require('minitoolstream.records')
local V = require('minitoolstream.validate')
local ids = require('minitoolstream.message_ids')
local positions = require('minitoolstream.positions')

local NULL = box.NULL

local now = R.now
local record_map = R.record_map
local select_after = R.select_after
local position = R.position
local insert_record = R.insert_record
local delete_expired = R.delete_expired

local COMPONENT = {}
local F = {}


-- Exactly one of object_name (payload in S3) and payload (inline bytes, possibly empty) is
-- given. size defaults to the inline payload's length; content_type is optional.
-- The checks of one record to publish; returns the normalised values or raises.
local function checked_record(subject, object_name, headers, payload, size, content_type)
    subject = V.subject(subject)
    object_name = V.optional_object_name(object_name)
    headers = V.headers(headers)
    payload = V.optional_payload(payload, 'payload')
    size = V.optional_uint(size, 'size')
    content_type = V.optional_content_type(content_type)
    if object_name == nil and payload == nil then
        compat.raise('invalid record: one of object_name and payload is required')
    end
    if object_name ~= nil and payload ~= nil then
        compat.raise(string.format('invalid record: object_name %s and an inline payload ' ..
            'are mutually exclusive', V.show(object_name)))
    end
    if payload ~= nil then
        local length = compat.bytes_len(payload)
        if size == nil then
            size = length
        elseif size ~= length then
            V.fail('size', size, string.format('inline payload is %d bytes', length))
        end
    end
    return subject, object_name, headers, payload, size, content_type
end

-- The optional idempotency key: message_id (1-255 bytes) with window_ms, how long it is
-- remembered (0: not at all). Returns message_id (nil without one) and window_ms.
local function checked_id(message_id, window_ms)
    if message_id == nil then
        return nil, 0
    end
    return ids.check_id(message_id), V.uint(window_ms, 'window_ms')
end

local function checked_publish(subject, object_name, headers, payload, size, content_type, message_id, window_ms)
    local id, window = checked_id(message_id, window_ms)
    local s, o, h, p, sz, ct = checked_record(subject, object_name, headers, payload, size, content_type)
    return s, o, h, p, sz, ct, id, window
end

-- Inserts a checked record and returns its sequence; when its id is live, inserts nothing and
-- returns the original's {duplicate = true, code = CONFLICT, sequence, object_name} instead.
-- Runs inside the caller's transaction, so the id and the record commit together.
local function insert_unless_duplicate(subject, object_name, headers, payload, size, content_type, message_id,
                                       window_ms)
    if message_id == nil or window_ms == 0 then
        return insert_record(subject, object_name, headers, payload, size, content_type)
    end
    ids.delete_expired(ids.CLEANUP_PER_PUBLISH)
    local original = ids.live(subject, message_id)
    if original ~= nil then
        return original
    end
    local sequence = insert_record(subject, object_name, headers, payload, size, content_type)
    ids.remember(subject, message_id, sequence, object_name, window_ms)
    return sequence
end

-- The sequence of the new record, or (with a live message_id) the duplicate's answer above.
function F.publish_record(subject, object_name, headers, payload, size, content_type, message_id, window_ms)
    return compat.atomic(insert_unless_duplicate,
        checked_publish(subject, object_name, headers, payload, size, content_type, message_id, window_ms))
end

-- Before uploading a payload: the record a live id already stored ({duplicate = true, code,
-- sequence, object_name}), or nil.
function F.find_message_id(subject, message_id)
    subject = V.subject(subject)
    message_id = ids.check_id(message_id)
    return ids.live(subject, message_id) or NULL
end

-- Most records one publish_records call takes.
COMPONENT.MAX_PUBLISH_BATCH = 1000

-- Group commit: records = array of {subject, object_name, headers, payload, size, content_type,
-- message_id, window_ms} (the last two optional, as for publish_record).
-- Every valid record is inserted, in order, in one transaction (one WAL write). The result has
-- one entry per record: its sequence, a duplicate's answer (see publish_record), or
-- {error = message, code = code} for a record that failed its checks (the others are stored
-- anyway). A failing insert rolls the whole call back and raises.
function F.publish_records(records)
    if type(records) ~= 'table' then
        compat.raise('invalid records: expected an array of records')
    end
    local count = #records
    if count > COMPONENT.MAX_PUBLISH_BATCH then
        compat.raise(string.format('invalid records: at most %d per call, got %d',
            COMPONENT.MAX_PUBLISH_BATCH, count))
    end
    local checked, results = {}, {}
    for i = 1, count do
        local r = records[i]
        local ok, subject, object_name, headers, payload, size, content_type, message_id, window_ms
        if type(r) ~= 'table' then
            ok, subject = false, compat.new_error('invalid record: expected an array')
        else
            ok, subject, object_name, headers, payload, size, content_type, message_id, window_ms =
                pcall(checked_publish, r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8])
        end
        if ok then
            checked[i] = {subject, object_name, headers, payload, size, content_type, message_id, window_ms}
        else
            local code = type(subject) == 'cdata' and subject.code or compat.INVALID_ARGUMENT
            results[i] = {error = compat.error_message(subject), code = code}
        end
    end
    return compat.atomic(function()
        for i = 1, count do
            local c = checked[i]
            if c ~= nil then
                results[i] = insert_unless_duplicate(c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8])
            end
        end
        return results
    end)
end

function F.fetch_messages(subject, after_sequence, limit)
    subject = V.subject(subject)
    after_sequence = V.uint(after_sequence, 'after_sequence')
    limit = V.limit(limit, 'limit')
    local result = {}
    for i, t in ipairs(select_after(subject, after_sequence, limit, false)) do
        result[i] = record_map(t)
    end
    return result
end

function F.peek_messages(subject, durable_name, limit)
    subject = V.subject(subject)
    durable_name = V.durable_name(durable_name)
    limit = V.limit(limit, 'limit')
    local result = {}
    for i, t in ipairs(select_after(subject, position(durable_name, subject), limit, false)) do
        result[i] = record_map(t)
    end
    return result
end

-- Deletes at most `limit` messages with create_at < now - ttl_seconds (of `subject` only
-- when given) in one transaction. The caller loops until fewer than `limit` come back.
function F.delete_expired_messages(ttl_seconds, subject, limit)
    ttl_seconds = V.uint(ttl_seconds, 'ttl_seconds')
    if subject ~= nil then
        subject = V.subject(subject)
    else
        subject = nil
    end
    limit = V.limit(limit, 'limit')
    -- Message ids whose window ended go too, as many per call: bounded, like the rest.
    compat.atomic(ids.delete_expired, limit)
    return compat.atomic(delete_expired, now() - ttl_seconds, subject, limit)
end

-- Replay by time: the position just before the subject's first message published at or after
-- start_ms (milliseconds since the epoch); the newest sequence when there is none.
function F.get_position_at_time(subject, start_ms)
    subject = V.subject(subject)
    start_ms = V.uint(start_ms, 'start_ms')
    return positions.position_at_time(subject, start_ms)
end

-- The durable's stored position, or nil when it has none. get_consumer_position answers 0 for
-- both; a reset to before the first message stores 0, and a consumer that starts later must
-- begin there, not where its deliverPolicy says.
function F.get_stored_position(durable_name, subject)
    local stored = R.stored_position(V.durable_name(durable_name), V.subject(subject))
    if stored == nil then
        return NULL
    end
    return stored
end

-- Moves a durable, backwards or forwards, so that `sequence` (or the first message at or after
-- start_ms) is delivered next; exactly one of the two. Returns the new position.
function F.reset_position(durable_name, subject, sequence, start_ms)
    durable_name = V.durable_name(durable_name)
    subject = V.subject(subject)
    sequence = V.optional_uint(sequence, 'sequence')
    start_ms = V.optional_uint(start_ms, 'start_ms')
    return compat.atomic(positions.reset, durable_name, subject, sequence, start_ms)
end

-- The active ordered consumer's question: {resets, position}; see positions.lua.
function F.adopt_position_reset(durable_name, subject, seen_resets)
    durable_name = V.durable_name(durable_name)
    subject = V.subject(subject)
    seen_resets = V.optional_uint(seen_resets, 'seen_resets')
    return compat.atomic(positions.adopt, durable_name, subject, seen_resets)
end

function F.get_schema_version()
    return S.get_version()
end

-- The orphan sweep's question: which of these object keys (at most 1000) does no record
-- reference? Returns them in input order.
local MAX_OBJECT_NAMES = 1000
function F.find_unreferenced_objects(object_names)
    if type(object_names) ~= 'table' then
        compat.raise(string.format('invalid object_names %s: must be an array of object keys', V.show(object_names)))
    end
    if #object_names > MAX_OBJECT_NAMES then
        compat.raise(string.format('invalid object_names: %d keys, at most %d', #object_names, MAX_OBJECT_NAMES))
    end
    local by_object = box.space.message.index.object_name
    local unreferenced = setmetatable({}, {__serialize = 'array'})
    for _, name in ipairs(object_names) do
        name = V.object_name(name)
        if by_object:count({name}) == 0 then
            table.insert(unreferenced, name)
        end
    end
    return unreferenced
end

-- {ro = read-only?, id = replica id, uuid = instance uuid, vclock_sum = sum of the replicated
-- vclock components}: lets a client with several addresses find the writable instance (and,
-- among replicas, the most up to date one).
function F.get_instance_info()
    return replication.instance_info()
end

-- Competing consumers (claims.lua).
for name, fn in pairs(claims.functions) do
    F[name] = fn
end


COMPONENT.NAMES = {
    'publish_record',
    'publish_records',
    'fetch_messages',
    'peek_messages',
    'delete_expired_messages',
    'get_schema_version',
    -- competing consumers and ordered ownership (claims.lua)
    'claim_messages',
    'ack_claimed',
    'ack_claimed_batch',
    'release_claimed',
    'extend_claims',
    'acquire_ordered',
    'release_ordered',
    'get_claim_stats',
    'start_ordered_delivery',
    'ack_ordered',
    'fail_delivery',
    -- replica sets
    'get_instance_info',
    -- the orphan sweep
    'find_unreferenced_objects',
    -- idempotent publish, replay by time and rewind
    'find_message_id',
    'get_position_at_time',
    'reset_position',
    'adopt_position_reset',
    'get_stored_position',
}
COMPONENT.functions = F

return COMPONENT
