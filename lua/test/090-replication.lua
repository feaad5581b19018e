#!/usr/bin/env tarantool
-- Replica sets through lua/init.lua: validation of every replication variable, a master and
-- a read-only replica (schema, users and data arrive; writes refused), the admin console,
-- synchronous spaces, and failover with require('minitoolstream').promote().

package.path = debug.getinfo(1, 'S').source:match('^@?(.*/)') .. '?.lua;' .. package.path
local h = require('helper')
local tap = require('tap')
local fio = require('fio')
local fiber = require('fiber')
local popen = require('popen')
local net_box = require('net.box')

local test = tap.test('replication')
test:plan(7)

local READY = 'MiniToolStream ready'
local NULL = box.NULL

-- Fails before the data directory is touched, with `message` on stderr.
local function refused(t, vars, message, what)
    local dir = h.tempdir()
    vars.MTS_DATA_DIR = vars.MTS_DATA_DIR or dir
    vars.MTS_LISTEN = vars.MTS_LISTEN or ('127.0.0.1:' .. h.free_port())
    local code, err = h.init_fails(vars)
    t:ok(code == 1 and err:find(message, 1, true) ~= nil
        and #fio.glob(fio.pathjoin(dir, '*.snap')) == 0, what .. ': ' .. err:gsub('\n$', ''))
end

test:test('replication variables are validated', function(t)
    local peers = '127.0.0.1:1,127.0.0.1:2'
    local cases = {
        {{MTS_REPLICATION = 'nohost'}, "MTS_REPLICATION entry 'nohost' must be 'host:port' (in 'nohost')",
            'no port'},
        {{MTS_REPLICATION = '127.0.0.1:1,,127.0.0.1:2'}, "MTS_REPLICATION has an empty entry in " ..
            "'127.0.0.1:1,,127.0.0.1:2'", 'empty entry'},
        {{MTS_REPLICATION = 'h:99999'}, "MTS_REPLICATION entry 'h:99999' must be 'host:port'", 'port range'},
        {{MTS_REPLICATION = 'u:p@h:1'}, "MTS_REPLICATION entry 'u:p@h:1' must be 'host:port'",
            'credentials belong in MTS_REPLICATION_USER/PASSWORD'},
        {{MTS_REPLICATION = 'a:1, a:1'}, "MTS_REPLICATION lists 'a:1' twice", 'duplicates'},
        {{MTS_REPLICATION = peers, MTS_READ_ONLY = 'yes'}, "MTS_READ_ONLY must be 0 or 1, got 'yes'",
            'MTS_READ_ONLY value'},
        {{MTS_REPLICATION = peers, MTS_SYNC = 'true'}, "MTS_SYNC must be 0 or 1, got 'true'", 'MTS_SYNC value'},
        {{MTS_READ_ONLY = '1'}, 'MTS_READ_ONLY=1 needs MTS_REPLICATION', 'MTS_READ_ONLY alone'},
        {{MTS_SYNC = '1'}, 'MTS_SYNC=1 needs MTS_REPLICATION', 'MTS_SYNC alone'},
        {{MTS_REPLICATION = peers, MTS_SYNC = '1', MTS_SYNC_TIMEOUT = '0'},
            "MTS_SYNC_TIMEOUT must be a number of seconds greater than 0, got '0'", 'MTS_SYNC_TIMEOUT'},
        {{MTS_REPLICATION = peers, MTS_REPLICATION_USER = 'minitoolstream'},
            "MTS_REPLICATION_USER must differ from MTS_USER ('minitoolstream')", 'same user as the API'},
        {{MTS_REPLICATION = peers, MTS_REPLICATION_USER = 'admin'}, "MTS_REPLICATION_USER must not be 'admin'",
            'reserved user'},
        {{MTS_REPLICATION = peers, MTS_REPLICATION_PASSWORD = 'a@b'},
            'MTS_REPLICATION_PASSWORD must not contain whitespace, control characters, "@", ":" or "/"',
            'password unusable in a URI'},
        {{MTS_DEV = '', MTS_PASSWORD = 'pw', MTS_REPLICATION = peers},
            'MTS_REPLICATION_PASSWORD is required with MTS_REPLICATION', 'password required outside dev mode'},
        {{MTS_ADMIN_SOCKET = 'relative.sock'}, "MTS_ADMIN_SOCKET must be an absolute path, got 'relative.sock'",
            'relative admin socket'},
        {{MTS_ADMIN_SOCKET = '/' .. string.rep('x', 120)}, 'MTS_ADMIN_SOCKET must be at most 107 bytes',
            'admin socket path too long'},
        {{MTS_ADMIN_SOCKET = h.INIT_LUA}, 'exists and is not a socket', 'admin socket over a file'},
        {{MTS_REPLICATION = peers, MTS_ELECTION = 'leader'}, "MTS_ELECTION must be off, candidate or voter, " ..
            "got 'leader'", 'MTS_ELECTION value'},
    }
    -- Elections: refused with the version named where the server has none (Debian's 2.6.0).
    if type(box.ctl.demote) == 'function' then
        table.insert(cases, {{MTS_ELECTION = 'candidate'}, 'MTS_ELECTION=candidate needs MTS_REPLICATION',
            'MTS_ELECTION alone'})
        table.insert(cases, {{MTS_REPLICATION = peers, MTS_ELECTION = 'candidate', MTS_SYNC = '0'},
            'MTS_ELECTION=candidate needs synchronous spaces', 'MTS_ELECTION with MTS_SYNC=0'})
        table.insert(cases, {{MTS_REPLICATION = peers, MTS_ELECTION = 'voter', MTS_ELECTION_TIMEOUT = '-1'},
            "MTS_ELECTION_TIMEOUT must be a number of seconds greater than 0, got '-1'", 'MTS_ELECTION_TIMEOUT'})
    else
        table.insert(cases, {{MTS_REPLICATION = peers, MTS_ELECTION = 'candidate'},
            'MTS_ELECTION=candidate needs Tarantool 2.10 or later (leader election owning the synchronous ' ..
            'queue); this is Tarantool ' .. _TARANTOOL, 'MTS_ELECTION on ' .. _TARANTOOL})
    end
    t:plan(#cases)
    for _, c in ipairs(cases) do
        local vars = {MTS_DEV = '1'}
        for k, v in pairs(c[1]) do
            vars[k] = v ~= '' and v or nil
        end
        refused(t, vars, c[2], c[3])
    end
end)

-- A master and a replica on free loopback ports.
local function start_pair(extra)
    local ports = {h.free_port(), h.free_port()}
    local set = {ports = ports, dirs = {h.tempdir(), h.tempdir()}, handles = {}}
    local replication = string.format('127.0.0.1:%d,127.0.0.1:%d', ports[1], ports[2])
    for i = 1, 2 do
        local vars = {MTS_DEV = '1', MTS_PASSWORD = 'pw', MTS_LISTEN = '127.0.0.1:' .. ports[i],
            MTS_DATA_DIR = set.dirs[i], MTS_REPLICATION = replication,
            MTS_REPLICATION_PASSWORD = 'repl-pw', MTS_READ_ONLY = i == 2 and '1' or '0',
            MTS_ADMIN_SOCKET = fio.pathjoin(set.dirs[i], 'admin.sock')}
        for k, v in pairs(extra or {}) do
            vars[k] = v
        end
        set.handles[i] = h.spawn_init(vars)
    end
    set.ready = {}
    for i = 1, 2 do
        local _, ready = h.read_until(set.handles[i], READY, 30)
        set.ready[i] = ready
    end
    set.conns = {}
    for i = 1, 2 do
        set.conns[i] = net_box.connect(string.format('minitoolstream:pw@127.0.0.1:%d', ports[i]),
            {wait_connected = true, connect_timeout = 5})
    end
    set.socket = function(i)
        return fio.pathjoin(set.dirs[i], 'admin.sock')
    end
    return set
end

local function publish(conn, subject, payload)
    return conn:call('publish_record', {subject, NULL, NULL, payload or 'x', NULL, NULL})
end

local function stop_pair(set)
    for i = 1, 2 do
        pcall(set.conns[i].close, set.conns[i])
        pcall(set.handles[i].close, set.handles[i])
    end
end

local async = start_pair()

test:test('a master and a read-only replica', function(t)
    t:plan(9)
    t:ok(async.ready[1] and async.ready[2], 'both print the ready line')
    local m, r = async.conns[1], async.conns[2]
    t:is(r:call('get_schema_version'), require('minitoolstream.schema').LATEST,
        'the replica has the master\'s schema and the application user')
    local seq = publish(m, 'rs.a', 'hello')
    local arrived = h.wait(function()
        return #r:call('fetch_messages', {'rs.a', 0, 10}) == 1
    end, 5)
    t:ok(arrived, 'a message published on the master appears on the replica')
    t:is(r:call('fetch_messages', {'rs.a', 0, 10})[1].sequence, seq, 'same sequence')
    local ok, err = h.perr(r.call, r, 'publish_record', {'rs.a', NULL, NULL, 'x', NULL, NULL})
    t:ok(not ok and err:find('read%-only'), 'a write on the replica is refused: ' .. tostring(err))
    ok, err = h.perr(r.call, r, 'claim_messages', {'rs.a', 'd', 'c', 1, 5})
    t:ok(not ok and err:find('read%-only'), 'so is a claim: ' .. tostring(err))
    local mi, ri = m:call('get_instance_info'), r:call('get_instance_info')
    t:is_deeply({mi.ro, ri.ro, mi.id ~= ri.id, mi.uuid ~= ri.uuid}, {false, true, true, true},
        'get_instance_info tells the writable one')
    t:ok(h.wait(function()
        return r:call('get_instance_info').vclock_sum == m:call('get_instance_info').vclock_sum
    end, 5), 'vclock sums converge')
    local answer = h.admin(async.socket(2), "box.space._user.index.name:get{'replicator'} ~= nil")
    t:like(answer or '', '%- true', 'admin console; the replication user came from the master')
end)

test:test('admin console socket is owner-only and not for the application user', function(t)
    t:plan(2)
    local mode = fio.stat(async.socket(1)).mode
    t:is(bit.band(mode, tonumber('777', 8)), tonumber('600', 8), 'mode 0600')
    local ok = h.perr(async.conns[2].call, async.conns[2], 'promote', {})
    t:ok(not ok, 'promote is not callable over IPROTO')
end)

test:test('failover: promote the replica after the master died', function(t)
    t:plan(5)
    local m, r = async.conns[1], async.conns[2]
    local before = {}
    for i = 1, 20 do
        before[i] = publish(m, 'rs.f', tostring(i))
    end
    h.wait(function()
        return r:call('get_instance_info').vclock_sum == m:call('get_instance_info').vclock_sum
    end, 5)
    async.handles[1]:signal(popen.signal.SIGKILL)
    async.handles[1]:wait()
    local started = fiber.clock()
    local answer = h.admin(async.socket(2), "require('minitoolstream').promote()")
    t:like(answer or '', 'ro: false', 'promote() answers ro: false')
    local seq = publish(r, 'rs.f', 'after')
    local took = fiber.clock() - started
    t:ok(seq > before[20], string.format('the replica accepts writes (%.3f s after the kill); ' ..
        'the sequence continues: %d', took, seq))
    t:is(#r:call('fetch_messages', {'rs.f', 0, 100}), 21, 'every row the master had, plus the new one')
    t:is(r:call('get_instance_info').ro, false, 'get_instance_info says writable')
    local again = h.admin(async.socket(2), "require('minitoolstream').promote()")
    t:like(again or '', 'ro: false', 'promote() again is harmless')
end)
stop_pair(async)

test:test('synchronous spaces: the master cannot commit without its replica', function(t)
    t:plan(7)
    local set = start_pair({MTS_SYNC = '1', MTS_SYNC_TIMEOUT = '0.5'})
    t:ok(set.ready[1] and set.ready[2], 'both ready')
    local m, r = set.conns[1], set.conns[2]
    local answer = h.admin(set.socket(1), 'box.space.message.is_sync, box.space.leases.is_sync, ' ..
        'box.cfg.replication_synchro_quorum')
    t:like(answer or '', '%- true\n%- true\n%- 2\n', 'is_sync spaces, quorum 2 (majority of 2)')
    local seq = publish(m, 'sy.a', 'one')
    t:ok(seq > 0, 'a write commits with the replica up')
    set.handles[2]:signal(popen.signal.SIGKILL)
    set.handles[2]:wait()
    local started = fiber.clock()
    local ok, err = h.perr(publish, m, 'sy.a', 'two')
    t:ok(not ok and err:find('[Qq]uorum'), string.format('without the replica a write fails after ' ..
        '%.2f s: %s', fiber.clock() - started, tostring(err)))
    t:is(#m:call('fetch_messages', {'sy.a', 0, 10}), 1, 'and is rolled back')
    stop_pair(set)
    -- A master restarted alone (as after a crash) still serves reads.
    local restarted = h.spawn_init({MTS_DEV = '1', MTS_PASSWORD = 'pw', MTS_LISTEN = '127.0.0.1:' .. set.ports[1],
        MTS_DATA_DIR = set.dirs[1], MTS_REPLICATION = string.format('127.0.0.1:%d,127.0.0.1:%d',
        set.ports[1], set.ports[2]), MTS_REPLICATION_PASSWORD = 'repl-pw', MTS_SYNC = '1',
        MTS_SYNC_TIMEOUT = '0.5'})
    local _, ready = h.read_until(restarted, READY, 30)
    t:ok(ready, 'a sync master restarts without its replica')
    local conn = net_box.connect(string.format('minitoolstream:pw@127.0.0.1:%d', set.ports[1]))
    t:is(#conn:call('fetch_messages', {'sy.a', 0, 10}), 1, 'and serves reads')
    conn:close()
    restarted:close()
end)

test:test('synchronous failover keeps every acknowledged write', function(t)
    t:plan(4)
    local set = start_pair({MTS_SYNC = '1', MTS_SYNC_TIMEOUT = '2'})
    local m, r = set.conns[1], set.conns[2]
    -- Writers keep publishing until the master dies; every acknowledged sequence is noted.
    local acked, writers = {}, {}
    for w = 1, 4 do
        writers[w] = fiber.create(function()
            while true do
                local ok, seq = pcall(publish, m, 'sy.f', 'w' .. w)
                if not ok then
                    break
                end
                table.insert(acked, seq)
            end
        end)
    end
    fiber.sleep(0.3)
    set.handles[1]:signal(popen.signal.SIGKILL)
    set.handles[1]:wait()
    local answer = h.admin(set.socket(2), "require('minitoolstream').promote()")
    t:like(answer or '', 'synchro_quorum: 1', 'promote lowers the quorum to the survivor')
    local rows = {}
    for _, row in ipairs(r:call('fetch_messages', {'sy.f', 0, 10000})) do
        rows[row.sequence] = true
    end
    local lost = 0
    for _, seq in ipairs(acked) do
        if not rows[seq] then
            lost = lost + 1
        end
    end
    t:ok(#acked > 0, #acked .. ' writes acknowledged before the kill')
    t:is(lost, 0, 'none of them lost on the promoted replica')
    t:ok(publish(r, 'sy.f', 'after') > 0, 'the promoted replica commits synchronous writes')
    stop_pair(set)
end)

test:test('promote settles the lost master\'s unconfirmed writes at once', function(t)
    t:plan(5)
    local set = start_pair({MTS_SYNC = '1', MTS_SYNC_TIMEOUT = '5'})
    local m, r = set.conns[1], set.conns[2]
    local seq = publish(m, 'sy.q', 'confirmed')
    -- A quorum nobody can reach: the next write is replicated but never confirmed.
    h.admin(set.socket(1), 'box.cfg{replication_synchro_quorum = 3}')
    local pending = fiber.create(function()
        pcall(publish, m, 'sy.q', 'pending')
    end)
    local replicated = h.wait(function()
        return r:call('get_latest_sequence_for_subject', {'sy.q'}) > seq
    end, 5)
    t:ok(replicated, 'the unconfirmed write reached the replica')
    set.handles[1]:signal(popen.signal.SIGKILL)
    set.handles[1]:wait()
    local started = fiber.clock()
    local answer = h.admin(set.socket(2), "require('minitoolstream').promote()")
    local took = fiber.clock() - started
    t:like(answer or '', 'ro: false', 'promoted')
    t:ok(took < 2, string.format('in %.2f s, not 2 x replication_synchro_timeout (10 s)', took))
    t:is(#r:call('fetch_messages', {'sy.q', 0, 10}), 2,
        'the pending write is confirmed (it reached a quorum of the survivors)')
    t:ok(publish(r, 'sy.q', 'after') > 0, 'and new writes commit')
    pcall(fiber.cancel, pending)
    stop_pair(set)
end)

h.close_children()
h.finish(test)
