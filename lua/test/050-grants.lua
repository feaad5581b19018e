#!/usr/bin/env tarantool
-- Grants: over the network, the application user can call every public function
-- and nothing else; a wrong password is refused; guest can call nothing.

package.path = debug.getinfo(1, 'S').source:match('^@?(.*/)') .. '?.lua;' .. package.path
local h = require('helper')
local tap = require('tap')
local net_box = require('net.box')

local test = tap.test('grants')
test:plan(12)

local HOST = '127.0.0.1'
local PORT = h.free_port()
local mts = h.boot({listen = HOST .. ':' .. PORT})
local compat = require('minitoolstream.compat')

local function connect(user, password)
    local uri = user and string.format('%s:%s@%s:%d', user, password, HOST, PORT)
        or string.format('%s:%d', HOST, PORT)
    return net_box.connect(uri, {wait_connected = true, connect_timeout = 5})
end

local function raw_as(user, password)
    local c = assert(h.raw_connect(HOST, PORT))
    if user then
        assert(c:auth(user, password))
    end
    return c
end

-- A valid call of every public function.
local CALLS = {
    publish_message = {'g.s', 'g.s/1', {k = 'v'}},
    get_message_by_sequence = {1},
    get_messages_by_subject = {'g.s', 0, 10},
    get_latest_sequence_for_subject = {'g.s'},
    update_consumer_position = {'d', 'g.s', 0},
    get_consumer_position = {'d', 'g.s'},
    get_consumers_by_subject = {'g.s'},
    delete_old_messages = {86400},
    grpc_publish = {'g.s', 'g.s/2', {}},
    grpc_publish_msgpack = {'g.s', 'data', nil},
    grpc_get_last_sequence = {'g.s'},
    grpc_fetch = {'g.s', 'd', 10, false},
    grpc_fetch_msgpack = {'g.s', 'd', 10, false},
    check_new_messages = {'g.s', 'd'},
    grpc_ack = {'d', 'g.s', 1},
    grpc_peek = {'g.s', 'd', 10},
    get_new_messages_count = {'g.s', 'd', nil},
    publish_record = {'g.s', nil, {k = 'v'}, 'xyz', 3, nil},
    publish_records = {{{'g.s', nil, {k = 'v'}, 'xyz', 3, nil}}},
    fetch_messages = {'g.s', 0, 10},
    peek_messages = {'g.s', 'd', 10},
    delete_expired_messages = {86400, nil, 100},
    get_schema_version = {},
    claim_messages = {'g.s', 'd', 'c1', 10, 30},
    ack_claimed = {'g.s', 'd', 'c1', 1},
    ack_claimed_batch = {'g.s', 'd', 'c1', {1}},
    release_claimed = {'g.s', 'd', 'c1', 2},
    extend_claims = {'g.s', 'd', 'c1', 30},
    acquire_ordered = {'g.s', 'd', 'c1', 30},
    release_ordered = {'g.s', 'd', 'c1'},
    get_claim_stats = {'g.s', 'd'},
    start_ordered_delivery = {'g.s', 'd2', 'c1', 1, 30},
    ack_ordered = {'g.s', 'd2', 'c1', 1},
    fail_delivery = {'g.s', 'd2', 'c1', 1, 'reason', 0},
    get_instance_info = {},
    find_unreferenced_objects = {{'g.s/1'}},
    find_message_id = {'g.s', 'id-1'},
    get_position_at_time = {'g.s', 0},
    reset_position = {'d', 'g.s', 1},
    adopt_position_reset = {'d', 'g.s', 0},
    get_stored_position = {'d', 'g.s'},
}

test:test('privileges of the application user', function(t)
    t:plan(2)
    local got = {}
    for _, p in ipairs(compat.user_privileges(h.USER)) do
        table.insert(got, string.format('%s %s %s', p.priv, p.type, p.name or ''))
    end
    table.sort(got)
    local expected = {
        'session universe ', 'usage universe ', 'execute role public',
        string.format('alter user %s', h.USER),
    }
    for _, name in ipairs(mts.api_names()) do
        table.insert(expected, 'execute function ' .. name)
    end
    table.sort(expected)
    t:is_deeply(got, expected, 'execute on each API function, defaults, nothing more')
    local n = 0
    for _ in pairs(CALLS) do
        n = n + 1
    end
    t:is(n, #mts.api_names(), 'this test calls every API function')
end)

test:test('the application user calls every public function', function(t)
    local names = mts.api_names()
    t:plan(#names + 1)
    local conn = connect(h.USER, h.PASSWORD)
    t:is(conn.state, 'active', 'connected: ' .. tostring(conn.error))
    for _, name in ipairs(names) do
        local ok, err = h.perr(conn.call, conn, name, CALLS[name])
        t:ok(ok, name .. (ok and '' or (': ' .. tostring(err))))
    end
    conn:close()
end)

test:test('results over the network', function(t)
    t:plan(3)
    local conn = connect(h.USER, h.PASSWORD)
    local seq = conn:call('publish_record', {'net', box.NULL, {k = 'v'}, 'xyz', 3, box.NULL})
    local rows = conn:call('fetch_messages', {'net', 0, 10})
    t:is(rows[1].sequence, seq, 'publish_record then fetch_messages')
    t:is_deeply({rows[1].payload, rows[1].size, rows[1].headers.k}, {'xyz', 3, 'v'}, 'fields')
    local count, deleted = conn:call('delete_old_messages', {86400})
    t:is_deeply({count, deleted}, {0, {}}, 'delete_old_messages returns two values')
    conn:close()
end)

test:test('the application user has no direct data access', function(t)
    t:plan(10)
    local conn = connect(h.USER, h.PASSWORD)
    t:is(conn.space.message, nil, 'space message is not even visible')
    t:ok(not h.perr(conn.eval, conn, 'return 1'), 'eval refused')
    t:ok(not h.perr(conn.eval, conn, 'return box.space.message:select()'), 'eval of a select refused')
    t:ok(not h.perr(conn.call, conn, 'box.space.message:select', {}), 'calling box functions refused')
    conn:close()

    local raw = raw_as(h.USER, h.PASSWORD)
    local ok, err = raw:select(box.space.message.id, {})
    t:ok(not ok and err:find('denied'), 'IPROTO select on message: ' .. tostring(err))
    ok, err = raw:insert(box.space.message.id, {999, h.map(), 'x', 's', 1})
    t:ok(not ok and err:find('denied'), 'IPROTO insert into message: ' .. tostring(err))
    ok, err = raw:select(box.space.consumers.id, {})
    t:ok(not ok and err:find('denied'), 'IPROTO select on consumers: ' .. tostring(err))
    for _, name in ipairs({'leases', 'acks', 'ordered_owners'}) do
        ok, err = raw:select(box.space[name].id, {})
        t:ok(not ok and err:find('denied'), 'IPROTO select on ' .. name .. ': ' .. tostring(err))
    end
    raw:close()
end)

test:test('failover stays an admin action; the replication user gets replication only', function(t)
    t:plan(5)
    local conn = connect(h.USER, h.PASSWORD)
    local ok, err = h.perr(conn.call, conn, 'promote', {})
    t:ok(not ok, 'the application user cannot call promote: ' .. tostring(err))
    t:is(rawget(_G, 'promote'), nil, 'promote is no global')
    t:is(type(mts.promote), 'function', 'but a module function for the admin')
    conn:close()
    mts.start({user = h.USER, password = h.PASSWORD, replication_user = 'replicator',
        replication_password = 'repl-secret'})
    local got = {}
    for _, p in ipairs(compat.user_privileges('replicator')) do
        if not (p.type == 'universe' and (p.priv == 'session' or p.priv == 'usage'))
                and not (p.type == 'role' and p.name == 'public')
                and not (p.type == 'user' and p.name == 'replicator') then
            table.insert(got, string.format('%s %s %s', p.priv, p.type, p.name or ''))
        end
    end
    t:is_deeply(got, {'execute role replication'}, 'replicator: the replication role, nothing else')
    ok, err = h.perr(mts.start, {user = h.USER, password = h.PASSWORD, replication_user = h.USER,
        replication_password = 'x'})
    t:ok(not ok and err:find('must differ from the application user'), 'the app user cannot be it: '
        .. tostring(err))
end)

test:test('wrong password refused', function(t)
    t:plan(3)
    local conn = connect(h.USER, 'wrong')
    t:isnt(conn.state, 'active', 'net.box connection fails')
    t:ok(not h.perr(conn.call, conn, 'get_schema_version'), 'no call possible')
    conn:close()
    local raw = assert(h.raw_connect(HOST, PORT))
    local ok, err = raw:auth(h.USER, 'wrong')
    t:ok(not ok, 'IPROTO auth refused: ' .. tostring(err))
    raw:close()
end)

test:test('guest can call nothing', function(t)
    local names = mts.api_names()
    t:plan(#names + 4)
    for _, name in ipairs(names) do
        local ok, err = h.raw_call(HOST, PORT, name, CALLS[name])
        t:ok(not ok, 'guest: ' .. name .. ' refused (' .. tostring(err) .. ')')
    end
    local ok = h.raw_call(HOST, PORT, 'box.schema.user.info', {})
    t:ok(not ok, 'guest: built-in functions refused')
    local raw = raw_as(nil)
    ok = raw:eval('return 1')
    t:ok(not ok, 'guest: eval refused')
    ok = raw:select(box.space._vspace.id, {})
    t:ok(not ok, 'guest: system views refused')
    raw:close()
    local conn = connect(nil)
    t:ok(conn.state ~= 'active' or not h.perr(conn.call, conn, 'get_schema_version'),
        'guest: net.box gets nothing either')
    conn:close()
end)

test:test('guest privileges', function(t)
    t:plan(1)
    local got = {}
    for _, p in ipairs(compat.user_privileges('guest')) do
        table.insert(got, p.priv .. ' ' .. p.type)
    end
    t:is_deeply(got, {'usage universe'}, 'guest keeps only usage (no session, no public role)')
end)

test:test('password updated on restart', function(t)
    t:plan(3)
    mts.start({user = h.USER, password = 'rotated'})
    local old = connect(h.USER, h.PASSWORD)
    t:isnt(old.state, 'active', 'old password refused')
    old:close()
    local new = connect(h.USER, 'rotated')
    t:is(new.state, 'active', 'new password accepted')
    t:is(new:call('get_schema_version'), require('minitoolstream.schema').LATEST, 'and can call')
    new:close()
    h.PASSWORD = 'rotated'
end)

test:test('extra privileges are revoked on restart', function(t)
    t:plan(2)
    box.schema.user.grant(h.USER, 'read,write', 'space', 'message')
    box.schema.user.grant(h.USER, 'read,write,execute', 'universe')
    mts.start({user = h.USER, password = h.PASSWORD})
    local extra = {}
    for _, p in ipairs(compat.user_privileges(h.USER)) do
        if p.type == 'space' or (p.type == 'universe' and p.priv ~= 'session' and p.priv ~= 'usage') then
            table.insert(extra, p.priv .. ' ' .. p.type)
        end
    end
    t:is_deeply(extra, {}, 'space and universe grants removed')
    local conn = connect(h.USER, h.PASSWORD)
    t:ok(not h.perr(conn.eval, conn, 'return 1'), 'eval refused again')
    conn:close()
end)

test:test('functions registered without setuid are fixed', function(t)
    t:plan(2)
    box.schema.func.drop('get_schema_version')
    box.schema.func.create('get_schema_version')
    mts.start({user = h.USER, password = h.PASSWORD})
    local f = box.space._func.index.name:get({'get_schema_version'})
    t:ok(f[4] == 1 or f[4] == true, 'setuid again')
    local conn = connect(h.USER, h.PASSWORD)
    t:ok(h.perr(conn.call, conn, 'get_schema_version'), 'and executable by the user')
    conn:close()
end)

test:test('reserved user names refused', function(t)
    t:plan(2)
    t:ok(not h.perr(mts.start, {user = 'admin', password = 'x'}), 'admin refused')
    t:ok(not h.perr(mts.start, {user = 'guest', password = 'x'}), 'guest refused')
end)

h.finish(test)
