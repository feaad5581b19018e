#!/usr/bin/env tarantool
-- MiniToolStream instance script. Configured only by environment:
--
--   MTS_LISTEN            where to listen: 'host:port' or a port (default 3301)
--   MTS_DATA_DIR          WAL, snapshots and work directory (default: current directory)
--   MTS_MEMTX_MEMORY      memtx arena size in bytes (default: Tarantool's)
--   MTS_USER              application user (default 'minitoolstream')
--   MTS_PASSWORD          its password; required unless MTS_DEV=1 (then default 'changeme')
--   MTS_DEV=1             development mode: allows the default passwords
--   MTS_EXIT_WITH_PARENT=1  exit when the parent process goes away
--   MTS_ADMIN_SOCKET      absolute path of a Unix socket for the admin console (operator
--                         actions such as require('minitoolstream').promote()); it is made
--                         owner-only (0600). Unset: no console.
--
-- Replica sets (all optional; without MTS_REPLICATION nothing below applies):
--
--   MTS_REPLICATION       comma-separated peers 'host:port' of the replica set, this instance
--                         included, e.g. '10.0.0.1:3301,10.0.0.2:3301'
--   MTS_READ_ONLY=1       this instance is a replica: read-only; it joins the master and gets
--                         schema, users and grants from it (0 or unset: the writable master;
--                         exactly one instance of a set is the master)
--   MTS_REPLICATION_USER  the user replicas authenticate as (default 'replicator'); the master
--                         creates it with the `replication` role. Must differ from MTS_USER.
--   MTS_REPLICATION_PASSWORD  its password (same on every instance); required unless MTS_DEV=1
--   MTS_SYNC=1            synchronous replication: the message, consumers, leases, acks and
--                         ordered_owners spaces are is_sync; a write commits once a majority
--                         of the peers (replication_synchro_quorum = n/2+1) has it.
--                         0 or unset: asynchronous (the master decides; replicas follow it).
--   MTS_SYNC_TIMEOUT      seconds a synchronous write waits for its quorum before it fails
--                         (replication_synchro_timeout; default 5)
--   MTS_ELECTION          off | candidate | voter (default off): automatic failover on
--                         Tarantool's own Raft (election_mode). A candidate may be elected
--                         leader, a voter only votes. Needs Tarantool 2.10 or later and implies
--                         MTS_SYNC=1 (the elected leader owns the synchronous queue; quorum
--                         n/2+1 for commits and votes alike). Every instance of the set gets the
--                         same value; the one with MTS_READ_ONLY=0 bootstraps a fresh set, the
--                         others (MTS_READ_ONLY=1) join it, then whoever wins the election writes.
--   MTS_ELECTION_TIMEOUT  seconds an election round lasts before a new one (election_timeout;
--                         default 2)
--   MTS_REPLICATION_TIMEOUT  seconds between heartbeats (replication_timeout; default 0.5 with
--                         elections, else Tarantool's 1): a silent leader counts as lost after 4
--                         of them
--
-- The master starts on its own at once (it does not wait for its replicas) and then connects
-- to them; a fresh replica waits until it has joined the master and the master's schema and
-- grants have arrived. Without elections failover is an operator action: on the replica,
-- through the admin console, `require('minitoolstream').promote()`. On 2.10+ a master with
-- synchronous spaces claims the synchronous queue (box.ctl.promote()) when nobody owns it.
--
-- Prints 'MiniToolStream ready on <listen>' to stdout once it accepts calls.

local fio = require('fio')
local fiber = require('fiber')

-- Resolve our own directory before box.cfg changes the working directory.
local function script_dir()
    local source = debug.getinfo(1, 'S').source
    local path = source:sub(1, 1) == '@' and source:sub(2) or (arg and arg[0]) or 'init.lua'
    return fio.dirname(fio.abspath(path))
end

local LUA_DIR = script_dir()
package.path = LUA_DIR .. '/?.lua;' .. LUA_DIR .. '/?/init.lua;' .. package.path

local compat = require('minitoolstream.compat')

local function die(message)
    io.stderr:write('MiniToolStream: ', message, '\n')
    io.stderr:flush()
    os.exit(1)
end

local function env(name, default)
    local value = os.getenv(name)
    if value == nil or value == '' then
        return default
    end
    return value
end

local dev = env('MTS_DEV') == '1'

local listen = env('MTS_LISTEN', '3301')
if not (listen:match('^%d+$') or listen:match('^.+:%d+$') or listen:match('^unix/:')) then
    die(string.format("MTS_LISTEN must be 'host:port' or a port, got '%s'", listen))
end

local data_dir = fio.abspath(env('MTS_DATA_DIR', fio.cwd()))
if not fio.path.is_dir(data_dir) then
    if not fio.mktree(data_dir) then
        die(string.format("MTS_DATA_DIR '%s' does not exist and cannot be created", data_dir))
    end
end

local memtx_memory = env('MTS_MEMTX_MEMORY')
if memtx_memory ~= nil then
    if not memtx_memory:match('^%d+$') then
        die(string.format("MTS_MEMTX_MEMORY must be a number of bytes, got '%s'", memtx_memory))
    end
    memtx_memory = tonumber(memtx_memory)
end

local user = env('MTS_USER', 'minitoolstream')
local password = env('MTS_PASSWORD')
if password == nil then
    if not dev then
        die('MTS_PASSWORD is required (set MTS_DEV=1 to use the development default)')
    end
    password = 'changeme'
end

local function flag(name)
    local value = env(name, '0')
    if value ~= '0' and value ~= '1' then
        die(string.format("%s must be 0 or 1, got '%s'", name, value))
    end
    return value == '1'
end

-- Replica set.
local function parse_peers(value)
    local peers, seen = {}, {}
    for entry in (value .. ','):gmatch('([^,]*),') do
        local peer = entry:match('^%s*(.-)%s*$')
        if peer == '' then
            die(string.format("MTS_REPLICATION has an empty entry in '%s': expected 'host:port,host:port'",
                value))
        end
        local host, port = peer:match('^(.+):(%d+)$')
        port = tonumber(port)
        if host == nil or host:find('[%s@/]') or port == nil or port < 1 or port > 65535 then
            die(string.format("MTS_REPLICATION entry '%s' must be 'host:port' (in '%s')", peer, value))
        end
        if seen[peer] then
            die(string.format("MTS_REPLICATION lists '%s' twice (in '%s')", peer, value))
        end
        seen[peer] = true
        table.insert(peers, peer)
    end
    if #peers > 32 then
        die(string.format('MTS_REPLICATION lists %d peers; a replica set has at most 32', #peers))
    end
    return peers
end

-- Credentials go into the peer URIs (user:password@host:port).
local function uri_safe(name, value)
    if value:find('[%z\1-\32\127@:/]') then
        die(string.format('%s must not contain whitespace, control characters, "@", ":" or "/"', name))
    end
    return value
end

-- A positive number of seconds from the environment (nil when unset and no default).
local function seconds(name, default)
    local value = env(name, default)
    if value == nil then
        return nil
    end
    local number = tonumber(value)
    if number == nil or number <= 0 or number ~= number or number == math.huge then
        die(string.format("%s must be a number of seconds greater than 0, got '%s'", name, value))
    end
    return number
end

local peers = nil
local read_only = flag('MTS_READ_ONLY')
local sync_value = env('MTS_SYNC')
local sync = flag('MTS_SYNC')
local election = env('MTS_ELECTION', 'off')
if election ~= 'off' and election ~= 'candidate' and election ~= 'voter' then
    die(string.format("MTS_ELECTION must be off, candidate or voter, got '%s'", election))
end
local elections = election ~= 'off'
local election_timeout, replication_timeout
if elections then
    if not compat.has_elections then
        die(string.format('MTS_ELECTION=%s needs Tarantool 2.10 or later (leader election owning the ' ..
            'synchronous queue); this is Tarantool %s. Use MTS_ELECTION=off and promote by hand.',
            election, tostring(_TARANTOOL)))
    end
    if sync_value == '0' then
        die(string.format('MTS_ELECTION=%s needs synchronous spaces: MTS_SYNC=0 would let a failover ' ..
            'lose acknowledged writes (leave MTS_SYNC unset or 1)', election))
    end
    sync = true
    election_timeout = seconds('MTS_ELECTION_TIMEOUT', '2')
    replication_timeout = seconds('MTS_REPLICATION_TIMEOUT', '0.5')
else
    replication_timeout = seconds('MTS_REPLICATION_TIMEOUT')
end
local sync_timeout = env('MTS_SYNC_TIMEOUT', '5')
local replication_user, replication_password
local replication_value = env('MTS_REPLICATION')
if replication_value ~= nil then
    peers = parse_peers(replication_value)
    replication_user = uri_safe('MTS_REPLICATION_USER', env('MTS_REPLICATION_USER', 'replicator'))
    if replication_user == user then
        die(string.format("MTS_REPLICATION_USER must differ from MTS_USER ('%s')", user))
    end
    if replication_user == 'admin' or replication_user == 'guest' then
        die(string.format("MTS_REPLICATION_USER must not be '%s'", replication_user))
    end
    replication_password = env('MTS_REPLICATION_PASSWORD')
    if replication_password == nil then
        if not dev then
            die('MTS_REPLICATION_PASSWORD is required with MTS_REPLICATION ' ..
                '(set MTS_DEV=1 to use the development default)')
        end
        replication_password = 'changeme-replication'
    end
    uri_safe('MTS_REPLICATION_PASSWORD', replication_password)
    local timeout = tonumber(sync_timeout)
    if timeout == nil or timeout <= 0 or timeout ~= timeout or timeout == math.huge then
        die(string.format("MTS_SYNC_TIMEOUT must be a number of seconds greater than 0, got '%s'",
            sync_timeout))
    end
    sync_timeout = timeout
else
    if read_only then
        die('MTS_READ_ONLY=1 needs MTS_REPLICATION (a replica needs its master)')
    end
    if sync then
        die(elections and string.format('MTS_ELECTION=%s needs MTS_REPLICATION', election)
            or 'MTS_SYNC=1 needs MTS_REPLICATION')
    end
end

local admin_socket = env('MTS_ADMIN_SOCKET')
if admin_socket ~= nil then
    if admin_socket:sub(1, 1) ~= '/' then
        die(string.format("MTS_ADMIN_SOCKET must be an absolute path, got '%s'", admin_socket))
    end
    if #admin_socket > 107 then
        die(string.format("MTS_ADMIN_SOCKET must be at most 107 bytes (a Unix socket path), got %d: '%s'",
            #admin_socket, admin_socket))
    end
    if not fio.path.is_dir(fio.dirname(admin_socket)) then
        die(string.format("MTS_ADMIN_SOCKET '%s': directory does not exist", admin_socket))
    end
    if fio.path.exists(admin_socket) then
        local stat = fio.stat(admin_socket)
        if stat == nil or not stat:is_sock() then
            die(string.format("MTS_ADMIN_SOCKET '%s' exists and is not a socket", admin_socket))
        end
    end
end

if env('MTS_EXIT_WITH_PARENT') == '1' then
    local parent = compat.getppid()
    fiber.create(function()
        fiber.name('mts-exit-with-parent', {truncate = true})
        while true do
            fiber.sleep(0.5)
            if compat.getppid() ~= parent then
                io.stderr:write('MiniToolStream: parent process exited; stopping\n')
                io.stderr:flush()
                os.exit(0)
            end
        end
    end)
end

local cfg = {
    listen = listen,
    work_dir = data_dir,
    memtx_dir = data_dir,
    wal_dir = data_dir,
    vinyl_dir = data_dir,
    memtx_memory = memtx_memory,
}
-- Options a version may not know (dropped there rather than refusing to start).
local optional = {vinyl_dir = true, replication_connect_quorum = true, bootstrap_strategy = true,
    replication_synchro_quorum = true, replication_synchro_timeout = true}

-- A fresh data directory (no snapshot yet): this instance has never been part of a set.
local fresh = #fio.glob(fio.pathjoin(data_dir, '*.snap')) == 0

local replication_cfg = nil
local election_cfg_later = nil
if peers ~= nil then
    local uris = {}
    for i, peer in ipairs(peers) do
        uris[i] = string.format('%s:%s@%s', replication_user, replication_password, peer)
    end
    replication_cfg = {
        replication = uris,
        -- Itself is enough: a master restarts while its replicas are down, and a replica
        -- restarts while its master is (a fresh replica still needs its master to join).
        replication_connect_quorum = 1,
    }
    -- 2.11+ ignore replication_connect_quorum unless bootstrap_strategy is 'legacy', the only
    -- behaviour before 2.11 (older versions do not know the option: dropped). Set in the first
    -- box.cfg, where every version accepts it.
    cfg.bootstrap_strategy = 'legacy'
    cfg.read_only = read_only
    cfg.replication_timeout = replication_timeout
    if sync then
        cfg.replication_synchro_quorum = math.floor(#peers / 2) + 1
        cfg.replication_synchro_timeout = sync_timeout
    end
    if elections then
        -- Raft makes followers read-only and the leader writable; read_only = true would keep
        -- even an elected leader read-only. Only a fresh joiner starts read-only: a writable
        -- instance that has never joined may bootstrap a set of its own with the other fresh
        -- joiners instead of joining the master. Lifted once it has joined (below).
        cfg.read_only = read_only and fresh
        local election_cfg = {election_mode = election, election_timeout = election_timeout}
        if fresh and not read_only then
            election_cfg_later = election_cfg
        else
            for k, v in pairs(election_cfg) do
                replication_cfg[k] = v
            end
        end
    end
    -- A fresh master bootstraps the set alone and writable (election off), creates the
    -- replication user, then connects to its peers and turns elections on once they have
    -- joined. Every other start takes part in the set from the first box.cfg: a restarted
    -- master with elections must not be writable on its own while another instance leads.
    if read_only or (elections and not fresh) then
        -- A replica joins (or syncs with) its master inside box.cfg.
        for k, v in pairs(replication_cfg) do
            cfg[k] = v
        end
        replication_cfg = nil
    end
end

local ok, err = pcall(compat.box_cfg, cfg, optional)
if not ok then
    die('box.cfg failed: ' .. compat.error_message(err))
end
if elections and cfg.read_only then
    box.cfg({read_only = false}) -- joined: from now on Raft decides who writes
end

if admin_socket ~= nil then
    if fio.path.exists(admin_socket) then
        fio.unlink(admin_socket) -- left by a previous run (checked above: a socket)
    end
    -- Owner-only from the start: whoever can connect is admin.
    local old_umask = compat.umask(tonumber('077', 8))
    local listened, listen_err = pcall(require('console').listen, 'unix/:' .. admin_socket)
    compat.umask(old_umask)
    if not listened then
        die(string.format("MTS_ADMIN_SOCKET '%s': %s", admin_socket, compat.error_message(listen_err)))
    end
    fio.chmod(admin_socket, tonumber('600', 8))
end

-- On the master: the replication user, and MTS_SYNC applied to the data spaces (a replica
-- gets both from the master; without MTS_REPLICATION neither is touched).
local start_opts = {user = user, password = password, election = elections}
if peers ~= nil and (not read_only or elections) then
    -- With elections whichever instance leads runs these (as the leader, when it is elected).
    start_opts.replication_user = replication_user
    start_opts.replication_password = replication_password
    start_opts.sync = sync
end
local started, start_err = pcall(function()
    require('minitoolstream').start(start_opts)
end)
if not started then
    die('start failed: ' .. compat.error_message(start_err))
end

-- The master has its replication user now: connect to the peers (without waiting for them).
if replication_cfg ~= nil then
    local connected, connect_err = pcall(compat.box_cfg, replication_cfg, optional)
    if not connected then
        die('box.cfg (replication) failed: ' .. compat.error_message(connect_err))
    end
end

if peers ~= nil and not elections and not read_only then
    require('minitoolstream.replication').claim_unowned_synchro_queue()
end

-- A fresh set's first instance keeps elections off until the others have joined it: with
-- elections on it would turn follower (read-only), and joining instances need a writable one
-- to register with (or pick each other and fail).
if election_cfg_later ~= nil then
    require('minitoolstream.replication').start_elections_when_joined(election_cfg_later, #peers,
        math.floor(#peers / 2) + 1)
end

print('MiniToolStream ready on ' .. listen)
io.stdout:flush()
