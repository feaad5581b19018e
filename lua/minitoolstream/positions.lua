-- Moving a durable's position on purpose (replay and skip), as opposed to the monotonic ack:
-- positions by time, reset_position, and how an active consumer learns of a reset.
--
-- A reset writes the position and bumps the durable's counter in `position_resets`. The
-- active ordered consumer asks adopt_position_reset(durable, subject, resets_it_knows) now
-- and then; after a reset it first waits for its own acks in flight, then adopts: the stored
-- position is set to the reset's target once more (undoing an ack that raced the reset) and
-- the consumer continues from there.

local compat = require('minitoolstream.compat')
local S = require('minitoolstream.schema')
local R = require('minitoolstream.records')
local V = require('minitoolstream.validate')

local P = {}

-- The position just before the subject's first message published at or after start_ms, so
-- that message is delivered next; the newest sequence when none was (only later ones come).
function P.position_at_time(subject, start_ms)
    local t = R.message_space().index.subject_create_at_ms:select({subject, start_ms},
        {iterator = 'GE', limit = 1})[1]
    if t == nil or t[S.F_SUBJECT] ~= subject then
        return R.latest_sequence(subject)
    end
    return t[S.F_SEQUENCE] - 1
end

local function resets_row(durable_name, subject)
    return box.space.position_resets:get({durable_name, subject})
end

-- Sets the durable's position to sequence - 1 (so `sequence` comes next) or to the position
-- for start_ms; exactly one of them is given. Backwards or forwards. Returns the position.
function P.reset(durable_name, subject, sequence, start_ms)
    if (sequence == nil) == (start_ms == nil) then
        compat.raise('invalid reset: exactly one of sequence and start_ms is required')
    end
    local position
    if sequence ~= nil then
        if sequence < 1 then
            V.fail('sequence', sequence, 'sequences start at 1')
        end
        local issued = compat.sequence_current(S.sequence())
        if sequence > issued + 1 then
            V.fail('sequence', sequence, string.format('beyond the next sequence to be issued (%d)', issued + 1))
        end
        position = sequence - 1
    else
        position = P.position_at_time(subject, start_ms)
    end
    local row = resets_row(durable_name, subject)
    local resets = row == nil and 1 or row[S.R_RESETS] + 1
    box.space.position_resets:replace({durable_name, subject, resets, position})
    R.set_position(durable_name, subject, position)
    return position
end

-- {resets = the durable's reset count, position = the reset's target or nil}. With `seen`
-- equal to the count (or nil: the caller only learns the count), nothing changes; otherwise
-- the stored position is set to the latest reset's target, which the caller continues from.
function P.adopt(durable_name, subject, seen)
    local row = resets_row(durable_name, subject)
    local resets = row == nil and 0 or row[S.R_RESETS]
    if seen == nil or seen == resets then
        return {resets = resets, position = box.NULL}
    end
    local position = row == nil and R.position(durable_name, subject) or row[S.R_POSITION]
    R.set_position(durable_name, subject, position)
    return {resets = resets, position = position}
end

return P
