-- Differences between the Tarantool versions MiniToolStream runs on (2.6 through 3.x).
-- Everything version-dependent goes through this module so the rest of the code reads
-- the same on every version.

local ffi = require('ffi')

local compat = {}

local ERROR_TYPE = 'MiniToolStreamError'

-- _TARANTOOL looks like '2.6.0-0-g47aa4e01e' or '3.2.1-0-g...'.
local function parse_version(s)
    local major, minor, patch = tostring(s or ''):match('^(%d+)%.(%d+)%.(%d+)')
    return tonumber(major) or 0, tonumber(minor) or 0, tonumber(patch) or 0
end

compat.major, compat.minor, compat.patch = parse_version(_TARANTOOL)

function compat.version_at_least(major, minor)
    if compat.major ~= major then
        return compat.major > major
    end
    return compat.minor >= (minor or 0)
end

-- Error codes of the component API, so clients decide on a number, never on message text.
-- Tarantool's own codes stay below 1000.
compat.INVALID_ARGUMENT = 4000 -- bad arguments: retrying the same call cannot help
compat.CONFLICT = 4009         -- valid, but contradicts what the server holds now

-- Custom error types (box.error.new{type = ...}) exist since 2.4; older builds only
-- know numbered errors, for which ER_PROC_LUA ('%s') carries a free-form message.
local custom_errors = pcall(box.error.new, {type = ERROR_TYPE, reason = 'probe'})

function compat.new_error(message, code)
    if custom_errors then
        return box.error.new({type = ERROR_TYPE, code = code or compat.INVALID_ARGUMENT, reason = message})
    end
    return box.error.new(box.error.PROC_LUA, message)
end

-- Raise a box.error with the given message (never returns); invalid argument unless a code is given.
function compat.raise(message, code)
    box.error(compat.new_error(message, code))
end

-- Message of anything pcall caught: box.error objects, strings, other values.
function compat.error_message(err)
    if type(err) == 'cdata' then
        local ok, message = pcall(function() return err.message end)
        if ok and message ~= nil then
            return message
        end
    end
    return tostring(err)
end

-- Binary data. Up to 2.x an MP_BIN argument arrives as a Lua string. 3.x can decode it as a
-- `varbinary` object (compat option binary_data_decoding); such an object is stored and
-- returned as MP_BIN, so it is kept as it is.
local varbinary_ok, varbinary = pcall(require, 'varbinary')
if not varbinary_ok or type(varbinary) ~= 'table' or type(varbinary.is) ~= 'function' then
    varbinary = nil
end

function compat.is_bytes(value)
    if type(value) == 'string' then
        return true
    end
    return varbinary ~= nil and varbinary.is(value)
end

function compat.bytes_len(value)
    if type(value) == 'string' then
        return #value
    end
    return #tostring(value)
end

-- 64-bit integers from msgpack may arrive as int64_t/uint64_t cdata.
local int64_t = ffi.typeof('int64_t')
local uint64_t = ffi.typeof('uint64_t')

function compat.is_int64_cdata(value)
    return type(value) == 'cdata' and (ffi.istype(int64_t, value) or ffi.istype(uint64_t, value))
end

-- Current value of a box sequence, 0 when it has never produced a value.
-- sequence:current() exists since 2.4 and raises when the sequence is not started;
-- older builds expose the value only through _sequence_data.
function compat.sequence_current(seq)
    if seq.current ~= nil then
        local ok, value = pcall(seq.current, seq)
        if ok then
            return tonumber(value)
        end
        return 0
    end
    local row = box.space._sequence_data:get(seq.id)
    if row == nil then
        return 0
    end
    return tonumber(row[2])
end

-- Transaction helper: run fn inside box.begin/commit, roll back and re-raise on error.
-- (box.atomic exists on every supported version but its option handling differs.)
local function finish_atomic(ok, ...)
    if not ok then
        box.rollback()
        error((...), 0)
    end
    box.commit()
    return ...
end

function compat.atomic(fn, ...)
    box.begin()
    return finish_atomic(pcall(fn, ...))
end

-- box.cfg that drops options unknown to the running version instead of refusing to
-- start. Only options listed in `optional` may be dropped; everything else is passed on.
function compat.box_cfg(cfg, optional)
    optional = optional or {}
    local attempt = table.copy(cfg)
    while true do
        local ok, err = pcall(box.cfg, attempt)
        if ok then
            return
        end
        local message = compat.error_message(err)
        local dropped = false
        for name in pairs(optional) do
            if attempt[name] ~= nil and message:find("'" .. name .. "'", 1, true)
                    and message:find('unexpected option', 1, true) then
                attempt[name] = nil
                dropped = true
            end
        end
        if not dropped then
            error(err, 0)
        end
    end
end

-- Synchronous spaces (is_sync) exist since 2.5.1. space:alter() arrived later (2.7); before
-- it the flag is changed in the space's _space row (field 6, `flags`).
function compat.space_is_sync(space)
    return space.is_sync == true
end

function compat.space_set_sync(space, sync)
    if type(space.alter) == 'function' then
        space:alter({is_sync = sync})
        return
    end
    local row = box.space._space:get(space.id)
    local flags = {}
    for k, v in pairs(row[6] or {}) do
        flags[k] = v
    end
    flags.is_sync = sync or nil
    box.space._space:update(space.id, {{'=', 6, setmetatable(flags, {__serialize = 'map'})}})
end

-- Take over the synchronous transaction queue (the limbo) of a former master, so this
-- instance can write to synchronous spaces: entries that reached replication_synchro_quorum
-- instances (counted among those alive) are confirmed, the rest rolled back.
-- 2.5.1-2.9: box.ctl.clear_synchro_queue(); since 2.10 it is an alias of box.ctl.promote(),
-- which additionally makes this instance the limbo's owner (and Raft leader when elections
-- are on).
function compat.take_over_synchro_queue()
    if type(box.ctl.promote) == 'function' then
        box.ctl.promote()
        return 'promote'
    end
    if type(box.ctl.clear_synchro_queue) == 'function' then
        box.ctl.clear_synchro_queue()
        return 'clear_synchro_queue'
    end
    return nil
end

-- Since 2.10 the synchronous queue (the limbo) has an owner: only the instance that claimed
-- it (box.ctl.promote(), or the elected Raft leader, which claims it by itself) may write to
-- synchronous spaces; everyone else gets ER_SYNC_QUEUE_UNCLAIMED or ER_SYNC_QUEUE_FOREIGN.
-- box.ctl.demote() arrived in the same release, so its presence is the probe (box.ctl is
-- there before box.cfg).
compat.synchro_queue_has_owner = type(box.ctl.demote) == 'function'

-- Leader election (election_mode) that can be trusted with synchronous spaces: the elected
-- leader owns the queue and settles the previous leader's entries. Raft came in 2.6.1, but
-- before 2.10 the queue had no owner and a new leader could not settle it safely.
compat.has_elections = compat.synchro_queue_has_owner

-- Id of the instance owning the synchronous queue (0: nobody), nil where queues have no owner.
function compat.synchro_queue_owner()
    if not compat.synchro_queue_has_owner then
        return nil
    end
    local synchro = box.info.synchro
    if synchro == nil or synchro.queue == nil then
        return nil
    end
    return tonumber(synchro.queue.owner) or 0
end

-- Election state for get_instance_info: {state =, term =, leader =} or nil where the server
-- has no elections or they are off.
function compat.election_info()
    local ok, election = pcall(function() return box.info.election end)
    if not ok or election == nil or election.state == nil then
        return nil
    end
    local mode = box.cfg.election_mode
    if mode == nil or mode == 'off' then
        return nil
    end
    return {state = election.state, term = tonumber(election.term), leader = tonumber(election.leader)}
end

-- Sum of the replicated vclock components (id >= 1; 0 counts local-space writes only).
function compat.vclock_sum(vclock)
    local sum = 0
    for id, lsn in pairs(vclock or {}) do
        if tonumber(id) ~= nil and tonumber(id) >= 1 then
            sum = sum + tonumber(lsn)
        end
    end
    return sum
end

-- Parent process id, for exiting together with the parent.
local getppid_declared = false
function compat.getppid()
    if not getppid_declared then
        pcall(ffi.cdef, 'int getppid(void);')
        getppid_declared = true
    end
    return tonumber(ffi.C.getppid())
end

-- Set the process umask; returns the previous one.
local umask_declared = false
function compat.umask(mask)
    if not umask_declared then
        pcall(ffi.cdef, 'unsigned int umask(unsigned int mask);')
        umask_declared = true
    end
    return tonumber(ffi.C.umask(mask))
end

-- Privileges of a user as a list of {privilege, object_type, object_name}, one privilege
-- per entry. box.schema.user.info() returns comma-joined privilege names; universe has no
-- name (nil, box.NULL or '' depending on the version).
function compat.user_privileges(name)
    local result = {}
    for _, entry in ipairs(box.schema.user.info(name)) do
        local privs, otype, oname = entry[1], entry[2], entry[3]
        if oname == nil or oname == '' then
            oname = nil
        end
        for priv in tostring(privs):gmatch('[^,]+') do
            table.insert(result, {priv = priv, type = otype, name = oname})
        end
    end
    return result
end

return compat
