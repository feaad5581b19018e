-- Replica sets: what a client needs to find the writable instance, what a replica waits for
-- before it serves, and the operator's failover step.
--
-- Schema migrations and user/grant changes run only on the writable instance; a read-only
-- replica receives them through replication (DDL on a read-only instance would fail).

local fiber = require('fiber')
local log = require('log')
local compat = require('minitoolstream.compat')
local S = require('minitoolstream.schema')

local P = {}

-- How often a replica waiting for its master's schema says so in the log (seconds).
P.WAIT_LOG_INTERVAL = 10

function P.instance_info()
    local info = box.info
    local result = {
        ro = info.ro,
        id = info.id,
        uuid = info.uuid,
        vclock_sum = compat.vclock_sum(info.vclock),
    }
    -- With elections on: 'leader', 'follower' or 'candidate', the Raft term and the leader's id.
    local election = compat.election_info()
    if election ~= nil then
        result.election_state = election.state
        result.election_term = election.term
        result.leader_id = election.leader
    end
    return result
end

-- Whether this instance takes part in leader elections (election_mode other than 'off').
function P.elections_on()
    local mode = box.cfg.election_mode
    return mode ~= nil and mode ~= 'off'
end

-- Whether box.cfg has peers to replicate from.
function P.configured()
    local replication = box.cfg.replication
    if replication == nil then
        return false
    end
    if type(replication) == 'string' then
        return replication ~= ''
    end
    return type(replication) == 'table' and next(replication) ~= nil
end

-- Instances registered in the replica set (_cluster), this one included.
function P.registered_instances()
    local count = 0
    for _, r in pairs(box.info.replication or {}) do
        if r.uuid ~= nil then
            count = count + 1
        end
    end
    return math.max(count, 1)
end

local function any_sync_space()
    for _, name in ipairs(S.DATA_SPACES) do
        local space = box.space[name]
        if space ~= nil and compat.space_is_sync(space) then
            return true
        end
    end
    return false
end

-- Wait on a read-only instance until `ready()` returns true (the master's schema, users and
-- grants arrived). `describe()` says what is missing, for the log. timeout nil: forever.
function P.wait_until(ready, describe, timeout)
    local started = fiber.clock()
    local next_log = started
    while not ready() do
        local now = fiber.clock()
        if timeout ~= nil and now - started >= timeout then
            error(string.format('MiniToolStream: read-only instance: %s after %.1f s',
                describe(), now - started), 0)
        end
        if now >= next_log then
            log.info('MiniToolStream: read-only instance waiting for the master: %s', describe())
            next_log = now + P.WAIT_LOG_INTERVAL
        end
        fiber.sleep(0.05)
    end
end

-- How long promote() lets the lost master's own CONFIRM/ROLLBACK arrive before it settles
-- the queue itself (seconds). clear_synchro_queue() waits 2 * replication_synchro_timeout for
-- that on 2.5-2.9 (10 s by default), which only delays failover when the master is gone.
P.CONFIRM_WAIT = 0.1

local function take_over_queue(wait)
    local configured = box.cfg.replication_synchro_timeout
    local lowered = type(configured) == 'number' and configured > wait / 2
    if lowered then
        box.cfg({replication_synchro_timeout = wait / 2})
    end
    local ok, result = pcall(compat.take_over_synchro_queue)
    if lowered then
        box.cfg({replication_synchro_timeout = configured})
    end
    if not ok then
        error(result, 0)
    end
    return result
end

-- Failover, run by the operator on the replica to take over (admin console or eval as
-- admin; never callable by the application user):
--
--     require('minitoolstream').promote()
--
-- 1. With synchronous spaces, caps replication_synchro_quorum at the number of instances
--    without the lost master (registered - 1, at least 1): the lone survivor of a
--    2-instance set could never commit otherwise, while the majority of a larger set is
--    usually still reachable and kept. opts.synchro_quorum sets it explicitly (e.g. when more
--    than one instance is gone). Raise it again once a replica rejoins.
-- 2. box.cfg{read_only = false}.
-- 3. With synchronous spaces, takes over the former master's synchronous queue: every entry
--    that reached this instance is confirmed (with quorum 1 it has its own ack), so nothing
--    the old master acknowledged to a client is lost. 2.5-2.9: box.ctl.clear_synchro_queue();
--    2.10+: box.ctl.promote(). replication_synchro_timeout is lowered meanwhile so this waits
--    opts.confirm_wait (default P.CONFIRM_WAIT) rather than 2 x the timeout for the lost master.
-- Make sure the old master is really gone (or read-only) first: two writable instances
-- diverge. Returns {ro =, synchro_quorum =, synchro_queue = how it was taken over or nil}.
function P.promote(opts)
    opts = opts or {}
    if P.elections_on() then
        return P.promote_elected()
    end
    local sync = any_sync_space()
    local quorum = opts.synchro_quorum
    if quorum ~= nil and (type(quorum) ~= 'number' or quorum < 1 or quorum ~= math.floor(quorum)) then
        error(string.format('MiniToolStream: promote: synchro_quorum must be a positive integer, got %s',
            tostring(quorum)), 0)
    end
    if quorum == nil and sync then
        local configured = box.cfg.replication_synchro_quorum
        local survivors = math.max(P.registered_instances() - 1, 1)
        if type(configured) == 'number' and configured > survivors then
            quorum = survivors
        end
    end
    if quorum ~= nil then
        log.warn('MiniToolStream: promote: replication_synchro_quorum %s -> %d',
            tostring(box.cfg.replication_synchro_quorum), quorum)
        box.cfg({replication_synchro_quorum = quorum})
    end
    if box.cfg.read_only then
        box.cfg({read_only = false})
    end
    local how = nil
    if sync then
        how = take_over_queue(opts.confirm_wait or P.CONFIRM_WAIT)
    end
    log.warn('MiniToolStream: promoted: read_only = false%s', how and (', ' .. how) or '')
    return {
        ro = box.info.ro,
        synchro_quorum = box.cfg.replication_synchro_quorum,
        synchro_queue = how,
    }
end

-- With elections on, promote() asks for a leadership election this instance stands in
-- (box.ctl.promote(): it wins when a quorum votes for it, i.e. its data is not behind theirs) and
-- waits until it is writable. The quorum and read_only stay as they are: Raft decides.
P.ELECTED_WAIT = 10

function P.promote_elected()
    if box.cfg.election_mode == 'voter' then
        error('MiniToolStream: promote: this instance is a voter (MTS_ELECTION=voter) and never leads', 0)
    end
    if box.info.election.state ~= 'leader' then
        box.ctl.promote()
    end
    box.ctl.wait_rw(P.ELECTED_WAIT)
    log.warn('MiniToolStream: promoted by election: leader in term %d', tonumber(box.info.election.term))
    return {
        ro = box.info.ro,
        synchro_quorum = box.cfg.replication_synchro_quorum,
        synchro_queue = 'election',
    }
end

-- The first instance of a fresh set with elections: once every member has joined (or a quorum
-- has and the rest stays away for JOIN_GRACE seconds), turn elections on with `election_cfg`
-- and stand at once, so the set gets its leader without waiting an election timeout.
P.JOIN_GRACE = 10

function P.start_elections_when_joined(election_cfg, members, quorum)
    fiber.create(function()
        fiber.name('mts-start-elections', {truncate = true})
        local quorum_since = nil
        while true do
            local joined = P.registered_instances()
            if joined >= members then
                break
            end
            if joined >= quorum then
                quorum_since = quorum_since or fiber.clock()
                if fiber.clock() - quorum_since >= P.JOIN_GRACE then
                    break
                end
            end
            fiber.sleep(0.1)
        end
        box.cfg(election_cfg)
        log.info('MiniToolStream: %d of %d members joined; elections on (%s)', P.registered_instances(),
            members, election_cfg.election_mode)
        if election_cfg.election_mode == 'candidate' then
            local ok, err = pcall(box.ctl.promote)
            if not ok then
                log.warn('MiniToolStream: first election failed (Raft retries by itself): %s',
                    compat.error_message(err))
            end
        end
    end)
end

-- A master (election_mode off) on 2.10+ must own the synchronous queue before it can write to
-- synchronous spaces. Claim it when nobody owns it (a fresh replica set, or one whose queue
-- was never claimed); never take it from another instance: that one was promoted, and this
-- instance writing as well would fork the data. Retried in the background until done, since
-- a queue with pending entries can only be claimed once a quorum confirms them.
P.CLAIM_RETRY = 0.5

-- One attempt: 'owned' (already this instance's, or nothing to claim on this version),
-- 'claimed' (now), 'foreign' (another instance owns it: left alone) or 'read-only'.
-- Raises when box.ctl.promote() fails.
function P.claim_synchro_queue()
    if not compat.synchro_queue_has_owner then
        return 'owned'
    end
    local owner = compat.synchro_queue_owner()
    if owner == nil or owner == box.info.id then
        return 'owned'
    end
    if owner ~= 0 then
        return 'foreign'
    end
    if box.info.ro then
        return 'read-only'
    end
    box.ctl.promote()
    log.info('MiniToolStream: claimed the synchronous queue')
    return 'claimed'
end

function P.claim_unowned_synchro_queue()
    if not compat.synchro_queue_has_owner or P.elections_on() or not any_sync_space() then
        return
    end
    fiber.create(function()
        fiber.name('mts-claim-synchro-queue', {truncate = true})
        while true do
            local ok, result = pcall(P.claim_synchro_queue)
            if ok and (result == 'owned' or result == 'claimed') then
                return
            end
            if ok and result == 'foreign' then
                log.warn('MiniToolStream: the synchronous queue belongs to instance %d, not to this ' ..
                    'master (%d): synchronous writes here fail until an operator runs ' ..
                    "require('minitoolstream').promote()", compat.synchro_queue_owner(), box.info.id)
                return
            end
            if not ok then
                log.warn('MiniToolStream: claiming the synchronous queue failed (retrying): %s',
                    compat.error_message(result))
            end
            fiber.sleep(P.CLAIM_RETRY)
        end
    end)
end

return P
