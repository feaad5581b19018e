-- Competing consumers: several consumers share one durable (durable_name, subject), each
-- message is handed to one of them at a time under a lease, and acknowledgements may arrive
-- in any order.
--
-- State of a durable:
--   consumers.last_sequence  the FLOOR: every message of the subject at or below it is
--                            acknowledged (the position every older function reads and writes)
--   acks                     acknowledged messages above the floor (out-of-order acks)
--   leases                   messages above the floor handed to a consumer until a deadline
--                            (fiber.time() seconds), with how often they were handed out
--   ordered_owners           for ordered consumption: the single consumer allowed to consume
--
-- A lease is held while its deadline is in the future. An expired lease row is kept: it
-- carries the delivery count, so whoever claims the message next sees the count go up. A
-- released lease is an expired one (deadline 0). Rows at or below the floor are removed when
-- the floor passes them; rows of a deleted message are removed with it (records.lua).
--
-- Every function is one transaction (memtx does not yield inside it), so two consumers can
-- never claim the same message: the second sees the first's lease.

local fiber = require('fiber')
local NULL = box.NULL
local compat = require('minitoolstream.compat')
local R = require('minitoolstream.records')
local S = require('minitoolstream.schema')
local V = require('minitoolstream.validate')

local C = {}
local F = {}

-- Rows of the subject examined by one claim at most: acked or leased rows above the floor
-- are skipped, and skipping must stay bounded so one call never stalls the instance.
C.SCAN_LIMIT = 10000

local function leases()
    return box.space.leases
end

local function acks()
    return box.space.acks
end

local function owners()
    return box.space.ordered_owners
end

-- Lease and ownership clocks: wall-clock seconds with fractions, so a deadline written by
-- one instance means the same on a replica that takes over.
local function clock()
    return fiber.time()
end

-- Rows of `space` whose key starts with (durable_name, subject) and whose third key part is
-- at or below `upto`, through `index` (parts durable_name, subject, <third>).
local function prefix_rows_upto(index, durable_name, subject, upto)
    local rows = {}
    for _, t in index:pairs({durable_name, subject, upto}, {iterator = 'LE'}) do
        if t[1] ~= durable_name or t[2] ~= subject then
            break
        end
        table.insert(rows, t)
    end
    return rows
end

local function count_prefix_above(index, durable_name, subject, above)
    local count = 0
    for _, t in index:pairs({durable_name, subject, above}, {iterator = 'GT'}) do
        if t[1] ~= durable_name or t[2] ~= subject then
            break
        end
        count = count + 1
    end
    return count
end

-- A failed message waits out its redelivery backoff before anyone may take it again.
local function in_backoff(lease, now)
    local not_before = lease[S.L_NOT_BEFORE]
    return not_before ~= nil and not_before > now
end

-- Refusal of an acknowledgement from a consumer that no longer holds the message: another
-- consumer has claimed it since (the caller's lease lapsed), so only that one may ack it.
local function foreign_lease(durable_name, subject, sequence, consumer_id)
    local lease = leases():get({durable_name, subject, sequence})
    return lease ~= nil and lease[S.L_CONSUMER_ID] ~= consumer_id and lease[S.L_DEADLINE] > clock()
end

local function claim(subject, durable_name, consumer_id, limit, ack_wait_seconds)
    local now = clock()
    local deadline = now + ack_wait_seconds
    local floor = R.position(durable_name, subject)
    local result = {}
    local scanned = 0
    for _, t in R.message_space().index.subject_sequence:pairs({subject, floor}, {iterator = 'GT'}) do
        if t[S.F_SUBJECT] ~= subject or scanned >= C.SCAN_LIMIT then
            break
        end
        scanned = scanned + 1
        local sequence = t[S.F_SEQUENCE]
        if acks():get({durable_name, subject, sequence}) == nil then
            local lease = leases():get({durable_name, subject, sequence})
            if lease == nil or lease[S.L_DEADLINE] <= now and not in_backoff(lease, now) then
                local count = (lease == nil and 0 or lease[S.L_DELIVERY_COUNT]) + 1
                local last_failure = lease ~= nil and lease[S.L_LAST_FAILURE] or nil
                leases():replace({durable_name, subject, sequence, consumer_id, deadline, count,
                    R.or_null(last_failure)})
                local record = R.record_map(t)
                record.delivery_count = count
                record.last_failure = R.or_null(last_failure)
                table.insert(result, record)
                if #result >= limit then
                    break
                end
            end
        end
    end
    return result
end

-- Advance the floor over every contiguous acknowledged message (the next existing row of the
-- subject each time: sequences have gaps and other subjects' numbers in between), then drop
-- acks and leases at or below it. Returns the new floor.
local function advance_floor(durable_name, subject, floor)
    local new_floor = floor
    for _, t in R.message_space().index.subject_sequence:pairs({subject, floor}, {iterator = 'GT'}) do
        if t[S.F_SUBJECT] ~= subject then
            break
        end
        local sequence = t[S.F_SEQUENCE]
        if acks():get({durable_name, subject, sequence}) == nil then
            break
        end
        new_floor = sequence
    end
    if new_floor == floor then
        return floor
    end
    R.set_position(durable_name, subject, new_floor)
    for _, t in ipairs(prefix_rows_upto(acks().index.primary, durable_name, subject, new_floor)) do
        acks():delete({durable_name, subject, t[S.A_SEQUENCE]})
    end
    for _, t in ipairs(prefix_rows_upto(leases().index.primary, durable_name, subject, new_floor)) do
        leases():delete({durable_name, subject, t[S.L_SEQUENCE]})
    end
    return new_floor
end

local function ack(subject, durable_name, consumer_id, sequence)
    if foreign_lease(durable_name, subject, sequence, consumer_id) then
        compat.raise(string.format('message %d of subject %s is claimed by another consumer of durable %s; ' ..
            'this consumer lost its lease', sequence, subject, durable_name), compat.CONFLICT)
    end
    leases():delete({durable_name, subject, sequence})
    local floor = R.position(durable_name, subject)
    if sequence <= floor or acks():get({durable_name, subject, sequence}) ~= nil then
        return false
    end
    acks():insert({durable_name, subject, sequence})
    advance_floor(durable_name, subject, floor)
    return true
end

local function release(subject, durable_name, consumer_id, sequence)
    local lease = leases():get({durable_name, subject, sequence})
    if lease == nil or lease[S.L_CONSUMER_ID] ~= consumer_id or lease[S.L_DEADLINE] <= clock() then
        return false
    end
    leases():update({durable_name, subject, sequence}, {{'=', S.L_DEADLINE, 0}})
    return true
end

local function extend(subject, durable_name, consumer_id, ack_wait_seconds)
    local now = clock()
    local held = {}
    for _, t in leases().index.consumer:pairs({durable_name, subject, consumer_id}, {iterator = 'EQ'}) do
        if t[S.L_DEADLINE] > now then
            table.insert(held, t[S.L_SEQUENCE])
        end
    end
    local deadline = now + ack_wait_seconds
    for _, sequence in ipairs(held) do
        leases():update({durable_name, subject, sequence}, {{'=', S.L_DEADLINE, deadline}})
    end
    return #held
end

local function acquire(subject, durable_name, consumer_id, ttl_seconds)
    local now = clock()
    local owner = owners():get({durable_name, subject})
    if owner ~= nil and owner[S.O_CONSUMER_ID] ~= consumer_id and owner[S.O_DEADLINE] > now then
        return false
    end
    owners():replace({durable_name, subject, consumer_id, now + ttl_seconds})
    return true
end

local function release_owner(subject, durable_name, consumer_id)
    local owner = owners():get({durable_name, subject})
    if owner == nil or owner[S.O_CONSUMER_ID] ~= consumer_id then
        return false
    end
    owners():delete({durable_name, subject})
    return true
end

-- Ordered consumption: the owner starts delivering `sequence` (the first message of a batch:
-- after a failure or a crash, the message to redeliver). Renews the ownership like
-- acquire_ordered and counts the delivery in the durable's lease row of the message, so the
-- count survives restarts and follows the message to the next owner. While the message waits
-- out its redelivery backoff nothing is counted and `ready` is false.
local function start_ordered(subject, durable_name, consumer_id, sequence, ack_wait_seconds)
    local now = clock()
    local owner = owners():get({durable_name, subject})
    if owner ~= nil and owner[S.O_CONSUMER_ID] ~= consumer_id and owner[S.O_DEADLINE] > now then
        return {owner = false, ready = false, delivery_count = 0, not_before = NULL, last_failure = NULL}
    end
    owners():replace({durable_name, subject, consumer_id, now + ack_wait_seconds})
    local lease = leases():get({durable_name, subject, sequence})
    local last_failure = lease ~= nil and lease[S.L_LAST_FAILURE] or nil
    if lease ~= nil and in_backoff(lease, now) then
        return {owner = true, ready = false, delivery_count = lease[S.L_DELIVERY_COUNT],
            not_before = lease[S.L_NOT_BEFORE], last_failure = R.or_null(last_failure)}
    end
    local count = (lease == nil and 0 or lease[S.L_DELIVERY_COUNT]) + 1
    leases():replace({durable_name, subject, sequence, consumer_id, now + ack_wait_seconds, count,
        R.or_null(last_failure)})
    return {owner = true, ready = true, delivery_count = count, not_before = NULL,
        last_failure = R.or_null(last_failure)}
end

local function ack_ordered(subject, durable_name, consumer_id, sequence)
    local owner = owners():get({durable_name, subject})
    if owner == nil or owner[S.O_CONSUMER_ID] ~= consumer_id then
        compat.raise(string.format('durable %s on subject %s is not held by consumer %s: it lost the ' ..
            'ownership, so it may not move the position', durable_name, subject, consumer_id), compat.CONFLICT)
    end
    if sequence <= R.position(durable_name, subject) then
        return false
    end
    R.set_position(durable_name, subject, sequence)
    for _, t in ipairs(prefix_rows_upto(leases().index.primary, durable_name, subject, sequence)) do
        leases():delete({durable_name, subject, t[S.L_SEQUENCE]})
    end
    return true
end

local MAX_FAILURE_BYTES = 1000

-- A delivery failed: remember why (for the dead-letter reason) and when the message may be
-- delivered again (backoff), and give a competing lease back. false when `consumer_id` does
-- not hold the message's lease (any more).
local function fail(subject, durable_name, consumer_id, sequence, reason, backoff_seconds)
    local lease = leases():get({durable_name, subject, sequence})
    local not_before = backoff_seconds > 0 and clock() + backoff_seconds or NULL
    if lease == nil then
        -- An ordered owner's message that was not the first of its batch: delivered once, uncounted so far.
        local owner = owners():get({durable_name, subject})
        if owner == nil or owner[S.O_CONSUMER_ID] ~= consumer_id then
            return false
        end
        leases():insert({durable_name, subject, sequence, consumer_id, 0, 1,
            reason:sub(1, MAX_FAILURE_BYTES), not_before})
        return true
    end
    if lease[S.L_CONSUMER_ID] ~= consumer_id then
        return false
    end
    leases():update({durable_name, subject, sequence}, {
        {'=', S.L_DEADLINE, 0},
        {'=', S.L_LAST_FAILURE, reason:sub(1, MAX_FAILURE_BYTES)},
        {'=', S.L_NOT_BEFORE, not_before},
    })
    return true
end

---------------------------------------------------------------------------------------------
-- Public functions
---------------------------------------------------------------------------------------------

-- The (subject, durable, consumer) most functions below take, checked in this order.
local function checked_consumer(subject, durable_name, consumer_id)
    return V.subject(subject), V.durable_name(durable_name), V.consumer_id(consumer_id)
end

-- The oldest messages of `subject` after the durable's floor that are neither acknowledged
-- nor under an unexpired lease of any consumer, at most `limit`; each is leased to
-- `consumer_id` until now + ack_wait_seconds. Returns maps shaped like fetch_messages' plus
-- delivery_count (1 on the first claim, +1 each time an expired or released lease is
-- claimed again).
function F.claim_messages(subject, durable_name, consumer_id, limit, ack_wait_seconds)
    subject, durable_name, consumer_id = checked_consumer(subject, durable_name, consumer_id)
    limit = V.limit(limit, 'limit')
    ack_wait_seconds = V.seconds(ack_wait_seconds, 'ack_wait_seconds')
    return compat.atomic(claim, subject, durable_name, consumer_id, limit, ack_wait_seconds)
end

-- Acknowledge one message: removes its lease, records the ack and advances the floor over
-- every contiguous acknowledged message. An ack after the caller's lease expired still counts
-- unless another consumer has claimed the message since (then it raises CONFLICT: fencing).
-- true when acknowledged now, false when it already was. Raises when `sequence` is not one of
-- the subject's.
function F.ack_claimed(subject, durable_name, consumer_id, sequence)
    subject, durable_name, consumer_id = checked_consumer(subject, durable_name, consumer_id)
    sequence = V.uint(sequence, 'sequence')
    R.check_ackable(subject, sequence)
    return compat.atomic(ack, subject, durable_name, consumer_id, sequence)
end

-- Most sequences one ack_claimed_batch call takes.
C.MAX_ACK_BATCH = 1000

local function checked_ackable(subject, sequence)
    sequence = V.uint(sequence, 'sequence')
    R.check_ackable(subject, sequence)
    return sequence
end

local function ack_many(subject, durable_name, consumer_id, checked, count)
    local floor = R.position(durable_name, subject)
    local results = {}
    for i = 1, count do
        local sequence = checked[i]
        if type(sequence) == 'table' then
            results[i] = sequence
        elseif foreign_lease(durable_name, subject, sequence, consumer_id) then
            results[i] = {error = 'claimed by another consumer: this consumer lost its lease', conflict = true}
        else
            leases():delete({durable_name, subject, sequence})
            if sequence <= floor or acks():get({durable_name, subject, sequence}) ~= nil then
                results[i] = false
            else
                acks():insert({durable_name, subject, sequence})
                results[i] = true
            end
        end
    end
    advance_floor(durable_name, subject, floor)
    return results
end

-- Acknowledge several messages in one transaction (a consumer's acks coalesced while its
-- previous call was out): each as ack_claimed would, the floor advanced once at the end.
-- Returns one entry per sequence, in order: true (acknowledged now), false (already was), or
-- {error = message} for a sequence that is not one of the subject's, or {error = message,
-- conflict = true} for one another consumer holds now (the others still count).
function F.ack_claimed_batch(subject, durable_name, consumer_id, sequences)
    subject, durable_name, consumer_id = checked_consumer(subject, durable_name, consumer_id)
    if type(sequences) ~= 'table' then
        compat.raise('invalid sequences: expected an array of sequences')
    end
    local count = #sequences
    if count > C.MAX_ACK_BATCH then
        compat.raise(string.format('invalid sequences: at most %d per call, got %d', C.MAX_ACK_BATCH, count))
    end
    local checked = {}
    for i = 1, count do
        local ok, result = pcall(checked_ackable, subject, sequences[i])
        checked[i] = ok and result or {error = compat.error_message(result)}
    end
    return compat.atomic(ack_many, subject, durable_name, consumer_id, checked, count)
end

-- Give a held lease back (e.g. after a failed delivery) so the message can be claimed again
-- at once; the delivery count is kept. true when `consumer_id` held the lease, else false.
function F.release_claimed(subject, durable_name, consumer_id, sequence)
    subject, durable_name, consumer_id = checked_consumer(subject, durable_name, consumer_id)
    sequence = V.uint(sequence, 'sequence')
    return compat.atomic(release, subject, durable_name, consumer_id, sequence)
end

-- Heartbeat: every lease `consumer_id` holds on the durable now runs until
-- now + ack_wait_seconds. Returns how many were extended (expired leases are not).
function F.extend_claims(subject, durable_name, consumer_id, ack_wait_seconds)
    subject, durable_name, consumer_id = checked_consumer(subject, durable_name, consumer_id)
    ack_wait_seconds = V.seconds(ack_wait_seconds, 'ack_wait_seconds')
    return compat.atomic(extend, subject, durable_name, consumer_id, ack_wait_seconds)
end

-- Ordered consumption: true when `consumer_id` is (now) the single active consumer of the
-- durable until now + ttl_seconds (there was no owner, the owner's time ran out, or it
-- already was the owner: renewed); false while another consumer owns it.
function F.acquire_ordered(subject, durable_name, consumer_id, ttl_seconds)
    subject, durable_name, consumer_id = checked_consumer(subject, durable_name, consumer_id)
    ttl_seconds = V.seconds(ttl_seconds, 'ttl_seconds')
    return acquire(subject, durable_name, consumer_id, ttl_seconds)
end

-- true when `consumer_id` owned the durable and gave it up; false otherwise.
function F.release_ordered(subject, durable_name, consumer_id)
    subject, durable_name, consumer_id = checked_consumer(subject, durable_name, consumer_id)
    return release_owner(subject, durable_name, consumer_id)
end

-- Ordered consumption, before delivering a batch: see start_ordered. Returns {owner, ready,
-- delivery_count, not_before, last_failure}; owner false means another consumer holds the
-- durable (nothing was counted).
function F.start_ordered_delivery(subject, durable_name, consumer_id, sequence, ack_wait_seconds)
    subject, durable_name, consumer_id = checked_consumer(subject, durable_name, consumer_id)
    sequence = V.uint(sequence, 'sequence')
    ack_wait_seconds = V.seconds(ack_wait_seconds, 'ack_wait_seconds')
    return compat.atomic(start_ordered, subject, durable_name, consumer_id, sequence, ack_wait_seconds)
end

-- Ordered consumption: the owner's cumulative, monotonic acknowledgement (fenced: raises
-- CONFLICT when `consumer_id` does not own the durable). Drops the durable's lease rows up to
-- `sequence`. true when the position moved.
function F.ack_ordered(subject, durable_name, consumer_id, sequence)
    subject, durable_name, consumer_id = checked_consumer(subject, durable_name, consumer_id)
    sequence = V.uint(sequence, 'sequence')
    R.check_ackable(subject, sequence)
    return compat.atomic(ack_ordered, subject, durable_name, consumer_id, sequence)
end

-- Both modes: a delivery of `sequence` failed with `reason`; it may be delivered again after
-- backoff_seconds (0: at once). true when `consumer_id` held the message.
function F.fail_delivery(subject, durable_name, consumer_id, sequence, reason, backoff_seconds)
    subject, durable_name, consumer_id = checked_consumer(subject, durable_name, consumer_id)
    sequence = V.uint(sequence, 'sequence')
    if type(reason) ~= 'string' then
        compat.raise(string.format('invalid reason %s: must be a string', V.show(reason)))
    end
    if backoff_seconds == nil or type(backoff_seconds) ~= 'number' or backoff_seconds < 0
            or backoff_seconds > V.MAX_LEASE_SECONDS then
        compat.raise(string.format('invalid backoff_seconds %s: must be 0 to %d', V.show(backoff_seconds),
            V.MAX_LEASE_SECONDS))
    end
    return compat.atomic(fail, subject, durable_name, consumer_id, sequence, reason, backoff_seconds)
end

-- {floor = the durable's position, leased = unexpired leases, acked_above_floor = acks
-- waiting for the floor to reach them}.
function F.get_claim_stats(subject, durable_name)
    subject = V.subject(subject)
    durable_name = V.durable_name(durable_name)
    local floor = R.position(durable_name, subject)
    return {
        floor = floor,
        leased = count_prefix_above(leases().index.deadline, durable_name, subject, clock()),
        acked_above_floor = count_prefix_above(acks().index.primary, durable_name, subject, floor),
    }
end

-- The public functions (api.lua lists and publishes them).
C.functions = F

-- Lease and ack rows of a message that is being deleted (TTL cleanup), every durable's.
-- Called inside the cleanup transaction.
function C.forget_message(subject, sequence)
    for _, space in ipairs({leases(), acks()}) do
        local keys = {}
        for _, t in space.index.message:pairs({subject, sequence}, {iterator = 'EQ'}) do
            table.insert(keys, {t[1], t[2], t[3]})
        end
        for _, key in ipairs(keys) do
            space:delete(key)
        end
    end
end

return C
