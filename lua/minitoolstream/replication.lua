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
    return {
        ro = info.ro,
        id = info.id,
        uuid = info.uuid,
        vclock_sum = compat.vclock_sum(info.vclock),
    }
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

return P
