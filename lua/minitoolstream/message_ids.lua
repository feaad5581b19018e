-- Idempotent publish: `message_ids` maps (subject, message_id) to the record a publish with
-- that id stored, until the id's window ends (expires_at, milliseconds). A publish carrying a
-- live id stores nothing and gets the original record back instead; the id is recorded in
-- the same transaction as the record, so two concurrent publishes of one id store one record.

local compat = require('minitoolstream.compat')
local S = require('minitoolstream.schema')
local R = require('minitoolstream.records')
local V = require('minitoolstream.validate')

local M = {}

M.MAX_MESSAGE_ID_BYTES = 255
-- Expired ids a publish with an id removes on the way: more than one, so the space shrinks
-- whenever ids expire faster than they are published; few, so a publish stays short.
M.CLEANUP_PER_PUBLISH = 8

function M.space()
    return box.space.message_ids
end

function M.check_id(value)
    if type(value) ~= 'string' then
        V.fail('message_id', value, 'must be a string')
    end
    if #value == 0 or #value > M.MAX_MESSAGE_ID_BYTES then
        V.fail('message_id', value, string.format('must be 1-%d bytes, got %d', M.MAX_MESSAGE_ID_BYTES, #value))
    end
    return value
end

-- The record a live id points at, as {sequence, object_name, duplicate = true, code = CONFLICT}
-- (the answer to a duplicate publish); nil when the id is unknown or its window ended.
function M.live(subject, message_id)
    local t = M.space():get({subject, message_id})
    if t == nil or t[S.I_EXPIRES_AT] <= R.now_ms() then
        return nil
    end
    return {
        duplicate = true,
        code = compat.CONFLICT,
        sequence = t[S.I_SEQUENCE],
        object_name = R.or_null(t[S.I_OBJECT_NAME]),
    }
end

-- Remembers the id for window_ms (replacing an expired entry of the same id).
function M.remember(subject, message_id, sequence, object_name, window_ms)
    M.space():replace({subject, message_id, sequence, R.or_null(object_name), R.now_ms() + window_ms})
end

-- Deletes at most `limit` ids whose window ended; returns how many. Call inside a transaction.
function M.delete_expired(limit)
    local now = R.now_ms()
    local victims = {}
    for _, t in M.space().index.expires_at:pairs() do
        if t[S.I_EXPIRES_AT] > now or #victims >= limit then
            break
        end
        table.insert(victims, {t[S.I_SUBJECT], t[S.I_MESSAGE_ID]})
    end
    for _, key in ipairs(victims) do
        M.space():delete(key)
    end
    return #victims
end

return M
