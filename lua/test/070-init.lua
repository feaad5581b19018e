#!/usr/bin/env tarantool
-- The instance script lua/init.lua as a child process: environment configuration, the ready
-- line, restart on the same data directory, password rules, MTS_EXIT_WITH_PARENT.

package.path = debug.getinfo(1, 'S').source:match('^@?(.*/)') .. '?.lua;' .. package.path
local h = require('helper')
local tap = require('tap')
local fio = require('fio')
local fiber = require('fiber')
local popen = require('popen')
local net_box = require('net.box')

local test = tap.test('init.lua')
test:plan(7)

local TARANTOOL = h.tarantool_bin()
local READY = 'MiniToolStream ready'
local handles = {}

-- Environment without any inherited MTS_* variable, plus `vars` (see helper.lua).
local environment = h.environment

-- Start `sh -c script` with the given MTS_* variables; $TT is tarantool, $INIT is init.lua.
-- The script starts in / so init.lua has to find its modules from its own location.
local function spawn(vars, script, capture_stderr)
    local env = environment(vars)
    env.TT = TARANTOOL
    env.INIT = h.INIT_LUA
    local ph = assert(popen.new({'/bin/sh', '-c', 'cd / && ' .. (script or 'exec "$TT" "$INIT"')}, {
        env = env,
        stdin = popen.opts.DEVNULL,
        stdout = popen.opts.PIPE,
        stderr = capture_stderr and popen.opts.PIPE or popen.opts.DEVNULL,
    }))
    table.insert(handles, ph)
    return ph
end

-- Read stdout until `pattern` appears, the process closes stdout, or the timeout.
local function read_until(ph, pattern, timeout)
    local deadline = fiber.clock() + (timeout or 15)
    local out = ''
    while fiber.clock() < deadline do
        local chunk = ph:read({timeout = 0.2})
        if chunk == '' then
            break -- EOF
        end
        if chunk ~= nil then
            out = out .. chunk
            if out:find(pattern) then
                return out, true
            end
        end
    end
    return out, false
end

local function stop(ph)
    ph:signal(popen.signal.SIGTERM)
    local status = ph:wait()
    ph:close()
    return status
end

local function connect(port, user, password)
    return net_box.connect(string.format('%s:%s@127.0.0.1:%d', user, password, port),
        {wait_connected = true, connect_timeout = 5})
end

test:test('MTS_PASSWORD is required outside dev mode', function(t)
    t:plan(3)
    local dir = h.tempdir()
    local ph = spawn({MTS_LISTEN = '127.0.0.1:' .. h.free_port(), MTS_DATA_DIR = dir}, nil, true)
    local status = ph:wait()
    local err = ph:read({stderr = true, timeout = 2}) or ''
    ph:close()
    t:is(status.exit_code, 1, 'exits with 1')
    t:like(err, 'MTS_PASSWORD is required', 'with a clear message on stderr')
    t:is(#fio.glob(fio.pathjoin(dir, '*.snap')), 0, 'before touching the data directory')
end)

test:test('bad MTS_MEMTX_MEMORY and MTS_LISTEN refused', function(t)
    t:plan(2)
    local ph = spawn({MTS_DEV = '1', MTS_MEMTX_MEMORY = 'lots', MTS_DATA_DIR = h.tempdir()}, nil, true)
    ph:wait()
    t:like(ph:read({stderr = true, timeout = 2}) or '', 'MTS_MEMTX_MEMORY must be a number of bytes',
        'MTS_MEMTX_MEMORY')
    ph:close()
    ph = spawn({MTS_DEV = '1', MTS_LISTEN = 'nowhere', MTS_DATA_DIR = h.tempdir()}, nil, true)
    ph:wait()
    t:like(ph:read({stderr = true, timeout = 2}) or '', "MTS_LISTEN must be 'host:port' or a port",
        'MTS_LISTEN')
    ph:close()
end)

local data_dir = fio.pathjoin(h.tempdir(), 'not', 'yet', 'there')
local port = h.free_port()

test:test('dev mode: ready line, default user and password', function(t)
    t:plan(7)
    local ph = spawn({MTS_DEV = '1', MTS_LISTEN = '127.0.0.1:' .. port, MTS_DATA_DIR = data_dir,
        MTS_MEMTX_MEMORY = tostring(64 * 1024 * 1024)})
    local out, ready = read_until(ph, READY .. '[^\n]*\n')
    t:ok(ready, 'ready line printed')
    t:is(out:match('[^\n]*' .. READY .. '[^\n]*'), 'MiniToolStream ready on 127.0.0.1:' .. port,
        'exactly "MiniToolStream ready on <listen>"')
    local conn = connect(port, 'minitoolstream', 'changeme')
    t:is(conn.state, 'active', 'minitoolstream/changeme accepted')
    local seq = conn:call('publish_record', {'a', box.NULL, {k = 'v'}, 'xyz', 3, box.NULL})
    t:is(seq, 1, 'publish_record')
    local rows = conn:call('fetch_messages', {'a', 0, 10})
    t:is_deeply({#rows, rows[1].payload, rows[1].headers.k}, {1, 'xyz', 'v'}, 'fetch_messages')
    t:ok(conn:call('update_consumer_position', {'reader', 'a', 1}), 'a durable position stored')
    conn:close()
    local status = stop(ph)
    t:is(status.state, 'exited', 'stops on SIGTERM')
end)

test:test('restart on the same data directory', function(t)
    t:plan(7)
    local ph = spawn({MTS_PASSWORD = 'secret-2', MTS_LISTEN = '127.0.0.1:' .. port,
        MTS_DATA_DIR = data_dir})
    local _, ready = read_until(ph, READY)
    t:ok(ready, 'ready again')
    local old = connect(port, 'minitoolstream', 'changeme')
    t:isnt(old.state, 'active', 'the old password no longer works')
    old:close()
    local conn = connect(port, 'minitoolstream', 'secret-2')
    t:is(conn.state, 'active', 'MTS_PASSWORD applied on restart')
    t:is(#conn:call('fetch_messages', {'a', 0, 10}), 1, 'data kept')
    t:is(conn:call('get_consumer_position', {'reader', 'a'}), 1, 'the durable position kept')
    t:is(conn:call('publish_record', {'a', 'a/obj', box.NULL, box.NULL, 10, box.NULL}), 2,
        'the sequence continues')
    t:is(conn:call('get_schema_version'), require('minitoolstream.schema').LATEST, 'schema version')
    conn:close()
    stop(ph)
end)

test:test('MTS_USER and a port-only MTS_LISTEN', function(t)
    t:plan(3)
    local p = h.free_port()
    local ph = spawn({MTS_PASSWORD = 'pw', MTS_USER = 'app', MTS_LISTEN = tostring(p),
        MTS_DATA_DIR = h.tempdir()})
    local out, ready = read_until(ph, READY .. '[^\n]*\n')
    t:ok(ready and out:find('MiniToolStream ready on ' .. p, 1, true), 'ready on the port')
    local conn = connect(p, 'app', 'pw')
    t:is(conn.state, 'active', 'custom user')
    t:ok(h.perr(conn.call, conn, 'get_schema_version'), 'can call')
    conn:close()
    stop(ph)
end)

test:test('default data directory is the current directory', function(t)
    t:plan(2)
    local dir = h.tempdir()
    local p = h.free_port()
    local ph = spawn({MTS_DEV = '1', MTS_LISTEN = '127.0.0.1:' .. p, D = dir},
        'cd "$D" && exec "$TT" "$INIT"')
    local _, ready = read_until(ph, READY)
    t:ok(ready, 'ready')
    stop(ph)
    t:ok(#fio.glob(fio.pathjoin(dir, '*.snap')) > 0, 'snapshot written to the current directory')
end)

test:test('MTS_EXIT_WITH_PARENT=1: exits when the parent dies', function(t)
    t:plan(3)
    local p = h.free_port()
    -- sh starts tarantool in the background and reports its pid; killing sh orphans it.
    local ph = spawn({MTS_DEV = '1', MTS_EXIT_WITH_PARENT = '1', MTS_LISTEN = '127.0.0.1:' .. p,
        MTS_DATA_DIR = h.tempdir()}, '"$TT" "$INIT" & echo "pid=$!"; wait')
    local out, ready = read_until(ph, READY)
    local pid = tonumber(out:match('pid=(%d+)'))
    t:ok(ready and pid ~= nil, 'child ready, pid ' .. tostring(pid))
    t:ok(pid ~= nil and h.alive(pid), 'alive while the parent lives')
    ph:signal(popen.signal.SIGKILL)
    ph:wait()
    local gone = pid ~= nil and h.wait(function() return not h.alive(pid) end, 5)
    t:ok(gone, 'exits within seconds after the parent was killed')
    if pid ~= nil and not gone then
        h.kill(pid, 9)
    end
    ph:close()
end)

for _, ph in ipairs(handles) do
    pcall(ph.close, ph) -- kills any child still running
end

h.finish(test)
