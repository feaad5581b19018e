-- Shared test helpers (not a test itself: run.sh only runs files starting with a digit).
--
--     local h = require('helper')        -- after setting package.path, see below
--     local mts = h.boot()               -- box.cfg in a fresh temp dir + minitoolstream.start
--     ...
--     h.finish(test)                     -- remove the temp dir, exit 0/1 from test:check()
--
-- Every test file starts with:
--     package.path = debug.getinfo(1, 'S').source:match('^@?(.*/)') .. '?.lua;' .. package.path

local fio = require('fio')
local fiber = require('fiber')
local ffi = require('ffi')
local msgpack = require('msgpack')

local H = {}

local function own_dir()
    local source = debug.getinfo(1, 'S').source
    return fio.dirname(fio.abspath(source:sub(1, 1) == '@' and source:sub(2) or source))
end

H.TEST_DIR = own_dir()
H.LUA_DIR = fio.dirname(H.TEST_DIR)
H.INIT_LUA = fio.pathjoin(H.LUA_DIR, 'init.lua')
H.USER = 'minitoolstream'
H.PASSWORD = 'test-secret'

package.path = H.LUA_DIR .. '/?.lua;' .. H.LUA_DIR .. '/?/init.lua;' .. package.path

local tempdirs = {}

function H.tempdir()
    local dir = fio.tempdir()
    table.insert(tempdirs, dir)
    return dir
end

-- Configure box in a fresh temp dir (logging to a file there) and start the module.
-- opts: listen, user, password, before_start (function run between box.cfg and start).
function H.boot(opts)
    opts = opts or {}
    local dir = H.tempdir()
    box.cfg({
        listen = opts.listen,
        work_dir = dir,
        memtx_dir = dir,
        wal_dir = dir,
        vinyl_dir = dir,
        log = fio.pathjoin(dir, 'tarantool.log'),
    })
    if opts.before_start then
        opts.before_start()
    end
    local mts = require('minitoolstream')
    mts.start({user = opts.user or H.USER, password = opts.password or H.PASSWORD})
    H.dir = dir
    return mts
end

function H.cleanup()
    for _, dir in ipairs(tempdirs) do
        fio.rmtree(dir)
    end
    tempdirs = {}
end

pcall(ffi.cdef, 'void _exit(int status);')
pcall(ffi.cdef, 'int getppid(void);')

-- A test whose parent (the Maven JVM, run.sh) went away stops at once: its children and temp
-- dirs go with it instead of running on unattended.
local parent = tonumber(ffi.C.getppid())
fiber.create(function()
    fiber.name('test-exit-with-parent', {truncate = true})
    while tonumber(ffi.C.getppid()) == parent do
        fiber.sleep(0.5)
    end
    io.stderr:write('test: parent process exited; stopping\n')
    pcall(H.close_children)
    H.cleanup()
    ffi.C._exit(1)
end)

-- Check the plan, remove the temp dirs and exit 0/1. The exit skips Tarantool's shutdown
-- (_exit after flushing stdio): on a normal exit the WAL thread writes a final empty xlog
-- and re-creates the removed data directory to hold it.
function H.finish(test)
    local ok = test:check()
    H.cleanup()
    io.stdout:flush()
    io.stderr:flush()
    ffi.C._exit(ok and 0 or 1)
end

-- pcall returning (ok, message) with the message of a box.error or a Lua error.
function H.perr(fn, ...)
    local ok, err = pcall(fn, ...)
    if ok then
        return true, nil
    end
    if type(err) == 'cdata' then
        local got, message = pcall(function() return err.message end)
        if got then
            return false, message
        end
    end
    return false, tostring(err)
end

-- Round-trip a value through msgpack, as IPROTO arguments arrive (box.NULL for nil,
-- maps/arrays with their serialize hints).
function H.wire(value)
    return (msgpack.decode(msgpack.encode(value)))
end

function H.map(t)
    return setmetatable(t or {}, {__serialize = 'map'})
end

-- Set of keys of a (msgpack-encoded then decoded) map: present keys, including nil values.
function H.keys_on_wire(value)
    local decoded = msgpack.decode(msgpack.encode(value))
    local keys = {}
    for k in pairs(decoded) do
        keys[k] = true
    end
    return keys
end

function H.wait(cond, timeout)
    local deadline = fiber.clock() + (timeout or 10)
    while fiber.clock() < deadline do
        if cond() then
            return true
        end
        fiber.sleep(0.05)
    end
    return false
end

-- A free loopback port (bind to 0, read it, close).
function H.free_port()
    local socket = require('socket')
    local s = socket('AF_INET', 'SOCK_STREAM', 'tcp')
    s:setsockopt('SOL_SOCKET', 'SO_REUSEADDR', true)
    assert(s:bind('127.0.0.1', 0))
    local port = s:name().port
    s:close()
    return port
end

-- Minimal IPROTO client over a raw socket, independent of net.box (whose behaviour on
-- schema-load errors differs between versions). Unauthenticated requests run as guest.
local IPROTO = {
    REQUEST_TYPE = 0x00, SYNC = 0x01,
    SPACE_ID = 0x10, INDEX_ID = 0x11, LIMIT = 0x12, ITERATOR = 0x14,
    KEY = 0x20, TUPLE = 0x21, FUNCTION_NAME = 0x22, USER_NAME = 0x23, EXPR = 0x27,
    DATA = 0x30, ERROR = 0x31,
    SELECT = 1, INSERT = 2, AUTH = 7, EVAL = 8, CALL = 10,
}
H.IPROTO = IPROTO

local Raw = {}
Raw.__index = Raw

function H.raw_connect(host, port)
    local socket = require('socket')
    local s = socket.tcp_connect(host, port, 5)
    if s == nil then
        return nil, 'connect failed'
    end
    local greeting = s:read(128, 5)
    if greeting == nil or #greeting < 128 then
        s:close()
        return nil, 'no greeting'
    end
    local salt = require('digest').base64_decode(greeting:sub(65, 128):match('^%S+'))
    return setmetatable({sock = s, salt = salt, sync = 0}, Raw)
end

-- One request; returns ok, DATA or error message.
function Raw:request(code, body)
    self.sync = self.sync + 1
    local header = msgpack.encode(H.map({[IPROTO.REQUEST_TYPE] = code, [IPROTO.SYNC] = self.sync}))
    local payload = msgpack.encode(H.map(body))
    self.sock:write(msgpack.encode(#header + #payload) .. header .. payload)
    local len_raw = self.sock:read(5, 5)
    if len_raw == nil or #len_raw < 5 then
        return false, 'connection closed'
    end
    local packet = self.sock:read(msgpack.decode(len_raw), 5)
    local resp_header, pos = msgpack.decode(packet)
    local resp_body = {}
    if pos <= #packet then
        resp_body = msgpack.decode(packet, pos)
    end
    if resp_header[IPROTO.REQUEST_TYPE] == 0 then
        return true, resp_body[IPROTO.DATA]
    end
    return false, resp_body[IPROTO.ERROR] or ('error code ' .. tostring(resp_header[0]))
end

-- chap-sha1 authentication.
function Raw:auth(user, password)
    local digest = require('digest')
    local bit = require('bit')
    local hash1 = digest.sha1(password)
    local hash2 = digest.sha1(hash1)
    local mask = digest.sha1(self.salt:sub(1, 20) .. hash2)
    local scramble = {}
    for i = 1, 20 do
        scramble[i] = string.char(bit.bxor(hash1:byte(i), mask:byte(i)))
    end
    return self:request(IPROTO.AUTH, {[IPROTO.USER_NAME] = user,
        [IPROTO.TUPLE] = setmetatable({'chap-sha1', table.concat(scramble)}, {__serialize = 'seq'})})
end

local function seq(t)
    return setmetatable(t or {}, {__serialize = 'seq'})
end

function Raw:call(name, args)
    return self:request(IPROTO.CALL, {[IPROTO.FUNCTION_NAME] = name, [IPROTO.TUPLE] = seq(args)})
end

function Raw:eval(expr, args)
    return self:request(IPROTO.EVAL, {[IPROTO.EXPR] = expr, [IPROTO.TUPLE] = seq(args)})
end

function Raw:select(space_id, key)
    return self:request(IPROTO.SELECT, {[IPROTO.SPACE_ID] = space_id, [IPROTO.INDEX_ID] = 0,
        [IPROTO.LIMIT] = 10, [IPROTO.ITERATOR] = 0, [IPROTO.KEY] = seq(key)})
end

function Raw:insert(space_id, tuple)
    return self:request(IPROTO.INSERT, {[IPROTO.SPACE_ID] = space_id, [IPROTO.TUPLE] = seq(tuple)})
end

function Raw:close()
    self.sock:close()
end

-- One CALL as guest on a fresh connection.
function H.raw_call(host, port, name, args)
    local c, err = H.raw_connect(host, port)
    if c == nil then
        return false, err
    end
    local ok, result = c:call(name, args)
    c:close()
    return ok, result
end

-- Tarantool binary for child processes.
function H.tarantool_bin()
    if arg and arg[-1] and arg[-1]:sub(1, 1) == '/' then
        return arg[-1]
    end
    for dir in (os.getenv('PATH') or ''):gmatch('[^:]+') do
        local candidate = fio.pathjoin(dir, 'tarantool')
        if fio.path.exists(candidate) then
            return candidate
        end
    end
    return 'tarantool'
end

pcall(ffi.cdef, 'int kill(int pid, int sig);')

-- Whether process `pid` is alive (zombies count as dead).
function H.alive(pid)
    if ffi.C.kill(pid, 0) ~= 0 then
        return false
    end
    local f = io.open('/proc/' .. pid .. '/stat', 'r')
    if f == nil then
        return false
    end
    local stat = f:read('*a')
    f:close()
    local state = stat:match('^%d+ %b() (%a)')
    return state ~= 'Z'
end

function H.kill(pid, sig)
    ffi.C.kill(pid, sig or 9)
end

-- Child processes running lua/init.lua (see 070-init.lua and 090-replication.lua).

-- The current environment without any MTS_* variable, plus MTS_EXIT_WITH_PARENT=1 (a child
-- must not outlive a test that dies of an error) and `vars`.
function H.environment(vars)
    local result = {}
    for k, v in pairs(os.environ()) do
        if not k:match('^MTS_') then
            result[k] = v
        end
    end
    result.MTS_EXIT_WITH_PARENT = '1'
    for k, v in pairs(vars or {}) do
        result[k] = v
    end
    return result
end

H.children = {}

-- Start init.lua with the given MTS_* variables (stdout piped; stderr piped when
-- capture_stderr, else discarded). Closed by H.close_children().
function H.spawn_init(vars, capture_stderr)
    local popen = require('popen')
    local ph = assert(popen.new({H.tarantool_bin(), H.INIT_LUA}, {
        env = H.environment(vars),
        stdin = popen.opts.DEVNULL,
        stdout = popen.opts.PIPE,
        stderr = capture_stderr and popen.opts.PIPE or popen.opts.DEVNULL,
    }))
    table.insert(H.children, ph)
    return ph
end

-- Read a child's stdout until `pattern` appears, it closes stdout, or the timeout.
-- Returns what was read and whether the pattern appeared.
function H.read_until(ph, pattern, timeout)
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

-- Run init.lua with `vars` until it exits; returns exit code and stderr.
function H.init_fails(vars, timeout)
    local ph = H.spawn_init(vars, true)
    local deadline = fiber.clock() + (timeout or 15)
    local status = ph:info().status
    while status.state == 'alive' and fiber.clock() < deadline do
        fiber.sleep(0.05)
        status = ph:info().status
    end
    local err = ph:read({stderr = true, timeout = 1}) or ''
    ph:close()
    return status.exit_code, err
end

function H.close_children()
    for _, ph in ipairs(H.children) do
        pcall(ph.close, ph) -- kills a child still running
    end
    H.children = {}
end

-- Admin console over a Unix socket: one line of Lua, the YAML answer as text.
function H.admin(path, line)
    local socket = require('socket')
    local s = socket.tcp_connect('unix/', path, 5)
    if s == nil then
        return nil, 'cannot connect to ' .. path
    end
    s:read({delimiter = '\n'}, 5) -- greeting, 2 lines
    s:read({delimiter = '\n'}, 5)
    s:write(line .. '\n')
    local answer = s:read({delimiter = '\n...\n'}, 10)
    s:close()
    return answer
end

return H
