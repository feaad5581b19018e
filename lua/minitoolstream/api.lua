-- The public API: every function here is published as a global (so IPROTO `call` finds it by
-- name), registered in _func with setuid, and executable by the application user.
--
-- Each function is one call: it validates its arguments (raising a box.error that names the
-- bad value), then does its work without yielding, or inside one explicit transaction, so it
-- is atomic. Nil values inside returned maps are box.NULL, so the key is present and the
-- client sees msgpack nil.

local fiber = require('fiber')
local claims = require('minitoolstream.claims')
local compat = require('minitoolstream.compat')
local replication = require('minitoolstream.replication')
local S = require('minitoolstream.schema')
local R = require('minitoolstream.records')
local V = require('minitoolstream.validate')

local NULL = box.NULL

local message_space = R.message_space
local consumers_space = R.consumers_space
local now = R.now
local or_null = R.or_null
local headers_of = R.headers_of
local record_map = R.record_map
local select_after = R.select_after
local count_after = R.count_after
local latest_sequence = R.latest_sequence
local position = R.position
local set_position = R.set_position
local check_ackable = R.check_ackable

local API = {}
local F = {}

-- Rows per transaction in delete_old_messages.
API.CLEANUP_BATCH = 1000

-- Tuple -> map as returned by grpc_fetch_msgpack (the seed's shape).
local function msgpack_map(t)
    return {
        sequence = t[S.F_SEQUENCE],
        headers = headers_of(t),
        object_name = or_null(t[S.F_OBJECT_NAME]),
        subject = t[S.F_SUBJECT],
        create_at = t[S.F_CREATE_AT],
        data_msgpack = or_null(t[S.F_PAYLOAD]),
    }
end

local function deleted_map(t)
    return {
        sequence = t[S.F_SEQUENCE],
        subject = t[S.F_SUBJECT],
        object_name = or_null(t[S.F_OBJECT_NAME]),
    }
end

-- Insert one message; the sequence comes from the persistent sequence at insert time.
-- Number and row go in one transaction: one WAL write, and with synchronous spaces one
-- synchronous transaction (a separate asynchronous _sequence_data write queued behind other
-- publishes' synchronous ones stalls the synchronous queue on 2.6).
local function insert_record(subject, object_name, headers, payload, size, content_type)
    local sequence = S.sequence():next()
    message_space():insert({
        sequence, headers, or_null(object_name), subject, now(),
        or_null(payload), or_null(size), or_null(content_type),
    })
    return sequence
end

local function insert_message(...)
    return compat.atomic(insert_record, ...)
end

local function publish_status(ok, result)
    if ok then
        return {sequence = result, status_code = 0, error_message = NULL}
    end
    return {sequence = 0, status_code = 1, error_message = compat.error_message(result)}
end

local function delete_expired(cutoff, subject, limit)
    local space = message_space()
    local victims = {}
    if cutoff <= 0 then
        return victims
    end
    if subject == nil then
        for _, t in space.index.create_at:pairs() do
            if t[S.F_CREATE_AT] >= cutoff or #victims >= limit then
                break
            end
            table.insert(victims, t)
        end
    else
        -- No (subject, create_at) index: walk the subject from its oldest sequence and stop
        -- at the first row that has not expired (create_at grows with the sequence).
        for _, t in space.index.subject_sequence:pairs({subject}, {iterator = 'EQ'}) do
            if t[S.F_CREATE_AT] >= cutoff or #victims >= limit then
                break
            end
            table.insert(victims, t)
        end
    end
    local deleted = {}
    for i, t in ipairs(victims) do
        space:delete({t[S.F_SEQUENCE]})
        claims.forget_message(t[S.F_SUBJECT], t[S.F_SEQUENCE])
        deleted[i] = deleted_map(t)
    end
    return deleted
end

---------------------------------------------------------------------------------------------
-- Seed API
---------------------------------------------------------------------------------------------

function F.publish_message(subject, object_name, headers)
    subject = V.subject(subject)
    object_name = V.object_name(object_name)
    headers = V.headers(headers)
    return insert_message(subject, object_name, headers)
end

function F.get_message_by_sequence(sequence)
    sequence = V.uint(sequence, 'sequence')
    return message_space():get({sequence})
end

function F.get_messages_by_subject(subject, start_sequence, limit)
    subject = V.subject(subject)
    start_sequence = V.uint(start_sequence, 'start_sequence')
    limit = V.limit(limit, 'limit')
    return select_after(subject, start_sequence, limit, true)
end

function F.get_latest_sequence_for_subject(subject)
    subject = V.subject(subject)
    return latest_sequence(subject)
end

function F.update_consumer_position(durable_name, subject, last_sequence)
    durable_name = V.durable_name(durable_name)
    subject = V.subject(subject)
    last_sequence = V.uint(last_sequence, 'last_sequence')
    set_position(durable_name, subject, last_sequence)
    return true
end

function F.get_consumer_position(durable_name, subject)
    durable_name = V.durable_name(durable_name)
    subject = V.subject(subject)
    return position(durable_name, subject)
end

function F.get_consumers_by_subject(subject)
    subject = V.subject(subject)
    return consumers_space().index.subject:select({subject})
end

-- Deletes every message with create_at < now - ttl_seconds, API.CLEANUP_BATCH rows per
-- transaction, yielding between batches. Each batch re-selects from the create_at index.
-- Returns count, {{sequence=, subject=, object_name=}, ...}.
function F.delete_old_messages(ttl_seconds)
    ttl_seconds = V.uint(ttl_seconds, 'ttl_seconds')
    local cutoff = now() - ttl_seconds
    local all = {}
    while true do
        local batch = compat.atomic(delete_expired, cutoff, nil, API.CLEANUP_BATCH)
        for _, row in ipairs(batch) do
            table.insert(all, row)
        end
        if #batch < API.CLEANUP_BATCH then
            break
        end
        fiber.yield()
    end
    return #all, all
end

function F.grpc_publish(subject, object_name, headers)
    return publish_status(pcall(F.publish_message, subject, object_name, headers))
end

local function publish_data(subject, data, headers)
    subject = V.subject(subject)
    if data == nil then
        V.fail('data', data, 'required')
    end
    data = V.optional_payload(data, 'data')
    local size = compat.bytes_len(data)
    if size == 0 then
        V.fail('data', data, 'must not be empty')
    end
    headers = V.headers(headers)
    return insert_message(subject, nil, headers, data, size, nil)
end

function F.grpc_publish_msgpack(subject, data, headers)
    return publish_status(pcall(publish_data, subject, data, headers))
end

function F.grpc_get_last_sequence(subject)
    subject = V.subject(subject)
    return {last_sequence = latest_sequence(subject)}
end

local function fetch_for_durable(subject, durable_name, batch_size, auto_ack)
    subject = V.subject(subject)
    durable_name = V.durable_name(durable_name)
    batch_size = V.limit(batch_size, 'batch_size')
    auto_ack = V.optional_boolean(auto_ack, 'auto_ack')
    local tuples = select_after(subject, position(durable_name, subject), batch_size, false)
    if auto_ack and #tuples > 0 then
        set_position(durable_name, subject, tuples[#tuples][S.F_SEQUENCE])
    end
    return tuples
end

function F.grpc_fetch(subject, durable_name, batch_size, auto_ack)
    return fetch_for_durable(subject, durable_name, batch_size, auto_ack)
end

function F.grpc_fetch_msgpack(subject, durable_name, batch_size, auto_ack)
    local tuples = fetch_for_durable(subject, durable_name, batch_size, auto_ack)
    local result = {}
    for i, t in ipairs(tuples) do
        result[i] = msgpack_map(t)
    end
    return result
end

function F.check_new_messages(subject, durable_name)
    subject = V.subject(subject)
    durable_name = V.durable_name(durable_name)
    local latest = latest_sequence(subject)
    local pos = position(durable_name, subject)
    return {
        has_new = latest > pos,
        latest_sequence = latest,
        consumer_position = pos,
        new_count = count_after(subject, pos),
    }
end

-- Cumulative, monotonic acknowledgement. true when the position moved, false when it was
-- already at or past `sequence`. Raises when `sequence` is not one of the subject's.
function F.grpc_ack(durable_name, subject, sequence)
    durable_name = V.durable_name(durable_name)
    subject = V.subject(subject)
    sequence = V.uint(sequence, 'sequence')
    check_ackable(subject, sequence)
    if sequence <= position(durable_name, subject) then
        return false
    end
    set_position(durable_name, subject, sequence)
    return true
end

function F.grpc_peek(subject, durable_name, batch_size)
    subject = V.subject(subject)
    durable_name = V.durable_name(durable_name)
    batch_size = V.limit(batch_size, 'batch_size')
    return select_after(subject, position(durable_name, subject), batch_size, false)
end

-- Messages of `subject` after the durable's position (durable_name given), else after
-- since_sequence (0 when nil).
function F.get_new_messages_count(subject, durable_name, since_sequence)
    subject = V.subject(subject)
    durable_name = V.optional_durable_name(durable_name)
    since_sequence = V.optional_uint(since_sequence, 'since_sequence')
    local start
    if durable_name ~= nil then
        start = position(durable_name, subject)
    else
        start = since_sequence or 0
    end
    return count_after(subject, start)
end

---------------------------------------------------------------------------------------------
-- Functions for the Camel component
---------------------------------------------------------------------------------------------

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

function F.publish_record(subject, object_name, headers, payload, size, content_type)
    return insert_message(checked_record(subject, object_name, headers, payload, size, content_type))
end

-- Most records one publish_records call takes.
API.MAX_PUBLISH_BATCH = 1000

-- Group commit: records = array of {subject, object_name, headers, payload, size, content_type}.
-- Every valid record is inserted, in order, in one transaction (one WAL write). The result has
-- one entry per record: its sequence, or {error = message} for a record that failed its checks
-- (the others are stored anyway). A failing insert rolls the whole call back and raises.
function F.publish_records(records)
    if type(records) ~= 'table' then
        compat.raise('invalid records: expected an array of records')
    end
    local count = #records
    if count > API.MAX_PUBLISH_BATCH then
        compat.raise(string.format('invalid records: at most %d per call, got %d',
            API.MAX_PUBLISH_BATCH, count))
    end
    local checked, results = {}, {}
    for i = 1, count do
        local r = records[i]
        local ok, subject, object_name, headers, payload, size, content_type
        if type(r) ~= 'table' then
            ok, subject = false, compat.new_error('invalid record: expected an array')
        else
            ok, subject, object_name, headers, payload, size, content_type =
                pcall(checked_record, r[1], r[2], r[3], r[4], r[5], r[6])
        end
        if ok then
            checked[i] = {subject, object_name, headers, payload, size, content_type}
        else
            results[i] = {error = compat.error_message(subject)}
        end
    end
    return compat.atomic(function()
        for i = 1, count do
            local c = checked[i]
            if c ~= nil then
                results[i] = insert_record(c[1], c[2], c[3], c[4], c[5], c[6])
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
    return compat.atomic(delete_expired, now() - ttl_seconds, subject, limit)
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

---------------------------------------------------------------------------------------------

-- Published names, in a fixed order.
API.NAMES = {
    -- seed API
    'publish_message',
    'get_message_by_sequence',
    'get_messages_by_subject',
    'get_latest_sequence_for_subject',
    'update_consumer_position',
    'get_consumer_position',
    'get_consumers_by_subject',
    'delete_old_messages',
    'grpc_publish',
    'grpc_publish_msgpack',
    'grpc_get_last_sequence',
    'grpc_fetch',
    'grpc_fetch_msgpack',
    'check_new_messages',
    'grpc_ack',
    'grpc_peek',
    'get_new_messages_count',
    -- component API
    'publish_record',
    'publish_records',
    'fetch_messages',
    'peek_messages',
    'delete_expired_messages',
    'get_schema_version',
    -- competing consumers (claims.lua)
    'claim_messages',
    'ack_claimed',
    'ack_claimed_batch',
    'release_claimed',
    'extend_claims',
    'acquire_ordered',
    'release_ordered',
    'get_claim_stats',
    -- replica sets
    'get_instance_info',
    -- the examples' orphan sweep
    'find_unreferenced_objects',
}

API.functions = F

for _, name in ipairs(API.NAMES) do
    assert(type(F[name]) == 'function', name)
end
for name in pairs(F) do
    local listed = false
    for _, n in ipairs(API.NAMES) do
        listed = listed or n == name
    end
    assert(listed, 'unlisted API function ' .. name)
end

return API
