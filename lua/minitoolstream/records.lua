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

function R.position(durable_name, subject)
    local t = R.consumers_space():get({durable_name, subject})
    if t == nil then
        return 0
    end
    return t[S.C_LAST_SEQUENCE]
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

return R
