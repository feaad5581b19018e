-- Record helpers shared by the API modules: spaces, tuple -> map conversion, per-subject
-- scans through the subject_sequence index, durable positions.

local fiber = require('fiber')
local compat = require('minitoolstream.compat')
local S = require('minitoolstream.schema')
local V = require('minitoolstream.validate')

local R = {}

local NULL = box.NULL

function R.message_space()
    return box.space.message
end

function R.consumers_space()
    return box.space.consumers
end

function R.now()
    return math.floor(fiber.time())
end

-- Milliseconds since the epoch (message.create_at_ms, message_ids.expires_at).
function R.now_ms()
    return math.floor(fiber.time() * 1000)
end

function R.or_null(value)
    if value == nil then
        return NULL
    end
    return value
end

function R.headers_of(tuple)
    local headers = tuple[S.F_HEADERS]
    if headers == nil or next(headers) == nil then
        return V.empty_map()
    end
    return headers
end

-- Tuple -> map as returned by fetch_messages / peek_messages.
function R.record_map(t)
    return {
        sequence = t[S.F_SEQUENCE],
        subject = t[S.F_SUBJECT],
        headers = R.headers_of(t),
        object_name = R.or_null(t[S.F_OBJECT_NAME]),
        create_at = t[S.F_CREATE_AT],
        payload = R.or_null(t[S.F_PAYLOAD]),
        size = R.or_null(t[S.F_SIZE]),
        content_type = R.or_null(t[S.F_CONTENT_TYPE]),
        create_at_ms = R.or_null(t[S.F_CREATE_AT_MS]),
    }
end

-- Messages of `subject` with sequence > after (or >= when inclusive), ascending, at most
-- limit, through the subject_sequence index.
function R.select_after(subject, after, limit, inclusive)
    local tuples = R.message_space().index.subject_sequence:select({subject, after},
        {iterator = inclusive and 'GE' or 'GT', limit = limit})
    -- The iterator runs on into the next subject when this one has fewer rows than limit.
    for i = 1, #tuples do
        if tuples[i][S.F_SUBJECT] ~= subject then
            for j = #tuples, i, -1 do
                tuples[j] = nil
            end
            break
        end
    end
    return tuples
end

function R.count_after(subject, after)
    local count = 0
    for _, t in R.message_space().index.subject_sequence:pairs({subject, after}, {iterator = 'GT'}) do
        if t[S.F_SUBJECT] ~= subject then
            break
        end
        count = count + 1
    end
    return count
end

function R.latest_sequence(subject)
    local t = R.message_space().index.subject_sequence:select({subject}, {iterator = 'REQ', limit = 1})[1]
    if t == nil then
        return 0
    end
    return t[S.F_SEQUENCE]
end

function R.oldest_sequence(subject)
    local t = R.message_space().index.subject_sequence:select({subject}, {iterator = 'EQ', limit = 1})[1]
    if t == nil then
        return nil
    end
    return t[S.F_SEQUENCE]
end

-- The durable's stored position; nil when it has none (a stored 0 is a position).
function R.stored_position(durable_name, subject)
    local t = R.consumers_space():get({durable_name, subject})
    return t ~= nil and t[S.C_LAST_SEQUENCE] or nil
end

-- The seed API's reading: 0 also when the durable has no position.
function R.position(durable_name, subject)
    return R.stored_position(durable_name, subject) or 0
end

function R.set_position(durable_name, subject, sequence)
    R.consumers_space():replace({durable_name, subject, sequence})
end

-- Whether `sequence` may be acknowledged on `subject`: the row exists, or it is below the
-- subject's oldest remaining row (or the subject is empty) and was issued already, i.e. it
-- was cleaned up.
function R.check_ackable(subject, sequence)
    if R.message_space().index.subject_sequence:get({subject, sequence}) ~= nil then
        return
    end
    local oldest = R.oldest_sequence(subject)
    local issued = compat.sequence_current(S.sequence())
    if (oldest == nil or sequence < oldest) and sequence <= issued then
        return
    end
    compat.raise(string.format("invalid sequence %s: no such message in subject %s",
        V.show(sequence), V.show(subject)))
end

-- Writes shared by the seed and the component API.

local function deleted_map(t)
    return {
        sequence = t[S.F_SEQUENCE],
        subject = t[S.F_SUBJECT],
        object_name = R.or_null(t[S.F_OBJECT_NAME]),
    }
end

-- Insert one message; the sequence comes from the persistent sequence at insert time.
-- Number and row go in one transaction: one WAL write, and with synchronous spaces one
-- synchronous transaction (a separate asynchronous _sequence_data write queued behind other
-- publishes' synchronous ones stalls the synchronous queue on 2.6).
function R.insert_record(subject, object_name, headers, payload, size, content_type)
    local sequence = S.sequence():next()
    local now_ms = R.now_ms()
    R.message_space():insert({
        sequence, headers, R.or_null(object_name), subject, math.floor(now_ms / 1000),
        R.or_null(payload), R.or_null(size), R.or_null(content_type), now_ms,
    })
    return sequence
end

function R.insert_message(...)
    return compat.atomic(R.insert_record, ...)
end


-- Deletes up to `limit` rows older than `cutoff` (of one subject, or of all when nil) with
-- their claims; returns {sequence, subject, object_name} maps of what it deleted.
function R.delete_expired(cutoff, subject, limit)
    local space = R.message_space()
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
        require('minitoolstream.claims').forget_message(t[S.F_SUBJECT], t[S.F_SEQUENCE])
        deleted[i] = deleted_map(t)
    end
    return deleted
end

return R
