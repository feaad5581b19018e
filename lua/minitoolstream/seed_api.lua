-- The seed API: the functions of the original MiniToolStream, kept by name, arguments and
-- result shapes so existing clients and consoles keep working. Frozen: new behaviour goes into
-- component_api.lua.

local fiber = require('fiber')
local compat = require('minitoolstream.compat')
local S = require('minitoolstream.schema')
local R = require('minitoolstream.records')
local V = require('minitoolstream.validate')

local NULL = box.NULL

local message_space = R.message_space
local consumers_space = R.consumers_space
local now = R.now
local or_null = R.or_null
local headers_of = R.headers_of
local select_after = R.select_after
local count_after = R.count_after
local latest_sequence = R.latest_sequence
local position = R.position
local set_position = R.set_position
local check_ackable = R.check_ackable
local insert_message = R.insert_message
local delete_expired = R.delete_expired

local SEED = {}
local F = {}

-- Rows per transaction in delete_old_messages.
SEED.CLEANUP_BATCH = 1000

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


local function publish_status(ok, result)
    if ok then
        return {sequence = result, status_code = 0, error_message = NULL}
    end
    return {sequence = 0, status_code = 1, error_message = compat.error_message(result)}
end


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

-- Deletes every message with create_at < now - ttl_seconds, SEED.CLEANUP_BATCH rows per
-- transaction, yielding between batches. Each batch re-selects from the create_at index.
-- Returns count, {{sequence=, subject=, object_name=}, ...}.
function F.delete_old_messages(ttl_seconds)
    ttl_seconds = V.uint(ttl_seconds, 'ttl_seconds')
    local cutoff = now() - ttl_seconds
    local all = {}
    while true do
        local batch = compat.atomic(delete_expired, cutoff, nil, SEED.CLEANUP_BATCH)
        for _, row in ipairs(batch) do
            table.insert(all, row)
        end
        if #batch < SEED.CLEANUP_BATCH then
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


SEED.NAMES = {
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
}
SEED.functions = F

return SEED
