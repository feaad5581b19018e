#!/usr/bin/env tarantool
-- Schema: spaces, formats, indexes, sequence, schema version, idempotent migrations, and
-- that start() publishes exactly the API as globals.

package.path = debug.getinfo(1, 'S').source:match('^@?(.*/)') .. '?.lua;' .. package.path
local h = require('helper')
local tap = require('tap')

local test = tap.test('schema')
test:plan(9)

-- Globals before anything is loaded, to prove start() adds only the API.
local globals_before = {}
for k in pairs(_G) do
    globals_before[k] = true
end

local mts = h.boot()
local schema = require('minitoolstream.schema')
local API = mts.api

local function field_names(space)
    local names, types, nullable = {}, {}, {}
    for i, f in ipairs(space:format()) do
        names[i] = f.name
        types[i] = f.type
        nullable[i] = f.is_nullable == true
    end
    return names, types, nullable
end

local function index_shape(index)
    local fields = {}
    for i, p in ipairs(index.parts) do
        fields[i] = p.fieldno
    end
    return {unique = index.unique, type = index.type, fields = fields}
end

test:test('message space', function(t)
    t:plan(6)
    local space = box.space.message
    t:ok(space ~= nil and space.engine == 'memtx', 'memtx space message exists')
    local names, types, nullable = field_names(space)
    t:is_deeply(names, {'sequence', 'headers', 'object_name', 'subject', 'create_at',
        'payload', 'size', 'content_type', 'create_at_ms'}, 'field names in order')
    t:is_deeply(types, {'unsigned', 'map', 'string', 'string', 'unsigned',
        'any', 'unsigned', 'string', 'unsigned'}, 'field types')
    t:is_deeply(nullable, {false, false, true, false, false, true, true, true, true},
        'object_name and appended fields are nullable')
    local idx = space.index
    t:is_deeply({
        index_shape(idx.primary), index_shape(idx.subject),
        index_shape(idx.subject_sequence), index_shape(idx.create_at),
    }, {
        {unique = true, type = 'TREE', fields = {1}},
        {unique = false, type = 'TREE', fields = {4}},
        {unique = true, type = 'TREE', fields = {4, 1}},
        {unique = false, type = 'TREE', fields = {5}},
    }, 'indexes primary, subject, subject_sequence, create_at')
    t:is(idx[0].name, 'primary', 'primary is index 0')
end)

test:test('consumers space', function(t)
    t:plan(3)
    local space = box.space.consumers
    t:ok(space ~= nil, 'space consumers exists')
    local names, types = field_names(space)
    t:is_deeply({names, types}, {{'durable_name', 'subject', 'last_sequence'},
        {'string', 'string', 'unsigned'}}, 'format')
    t:is_deeply({index_shape(space.index.primary), index_shape(space.index.subject)}, {
        {unique = true, type = 'TREE', fields = {1, 2}},
        {unique = false, type = 'TREE', fields = {2}},
    }, 'indexes primary(durable_name, subject), subject')
end)

test:test('schema version', function(t)
    t:plan(4)
    t:is(API.get_schema_version(), schema.LATEST, 'get_schema_version() is the latest')
    t:ok(schema.LATEST >= 4, 'at least 4 migrations')
    local row = box.space._schema:get({'minitoolstream_schema_version'})
    t:ok(row ~= nil and row[2] == schema.LATEST, 'stored in _schema')
    t:is(type(API.get_schema_version()), 'number', 'a number')
end)

test:test('sequence', function(t)
    t:plan(2)
    t:ok(box.sequence.message_sequence ~= nil, 'message_sequence exists')
    local s1 = API.publish_message('seq.test', 'obj-1', nil)
    local s2 = API.publish_message('seq.test', 'obj-2', nil)
    t:ok(s2 > s1, 'sequences increase')
end)

test:test('globals', function(t)
    t:plan(2)
    local added = {}
    for k in pairs(_G) do
        if not globals_before[k] then
            table.insert(added, k)
        end
    end
    table.sort(added)
    local expected = mts.api_names()
    table.sort(expected)
    t:is_deeply(added, expected, 'start() publishes exactly the API as globals')
    local all_functions = true
    for _, name in ipairs(expected) do
        all_functions = all_functions and type(rawget(_G, name)) == 'function'
    end
    t:ok(all_functions, 'every published global is a function')
end)

test:test('API names', function(t)
    local expected = {
        'publish_message', 'get_message_by_sequence', 'get_messages_by_subject',
        'get_latest_sequence_for_subject', 'update_consumer_position', 'get_consumer_position',
        'get_consumers_by_subject', 'delete_old_messages', 'grpc_publish', 'grpc_publish_msgpack',
        'grpc_get_last_sequence', 'grpc_fetch', 'grpc_fetch_msgpack', 'check_new_messages',
        'grpc_ack', 'grpc_peek', 'get_new_messages_count',
        'publish_record', 'publish_records', 'fetch_messages', 'peek_messages', 'delete_expired_messages',
        'get_schema_version',
        'claim_messages', 'ack_claimed', 'ack_claimed_batch', 'release_claimed', 'extend_claims', 'acquire_ordered',
        'release_ordered', 'get_claim_stats', 'start_ordered_delivery', 'ack_ordered', 'fail_delivery',
        'get_instance_info',
        'find_unreferenced_objects',
        'find_message_id', 'get_position_at_time', 'reset_position', 'adopt_position_reset', 'get_stored_position',
    }
    t:plan(2)
    t:is_deeply(mts.api_names(), expected,
        'the seed API, the component API, competing consumers, replica sets, the orphan sweep')
    local registered = true
    for _, name in ipairs(expected) do
        local f = box.space._func.index.name:get({name})
        registered = registered and f ~= nil and (f[4] == 1 or f[4] == true)
    end
    t:ok(registered, 'each is registered in _func with setuid')
end)

test:test('start() is idempotent', function(t)
    t:plan(4)
    local before = box.space.message:len()
    local ok = pcall(mts.start, {user = h.USER, password = h.PASSWORD})
    t:ok(ok, 'second start() succeeds')
    t:is(box.space.message:len(), before, 'data kept')
    t:is(API.get_schema_version(), schema.LATEST, 'version unchanged')
    local seq = API.publish_message('seq.test', 'obj-3', nil)
    t:is(seq, 3, 'sequence continues')
end)

test:test('migrations re-run on a populated database', function(t)
    t:plan(4)
    local before = box.space.message:select({}, {iterator = 'ALL'})
    box.space._schema:replace({'minitoolstream_schema_version', 0})
    local ok, err = h.perr(mts.start, {user = h.USER, password = h.PASSWORD})
    t:ok(ok, 'all migrations re-run: ' .. tostring(err))
    t:is(API.get_schema_version(), schema.LATEST, 'version back to latest')
    t:is(#box.space.message:select({}, {iterator = 'ALL'}), #before, 'rows kept')
    t:is(API.publish_message('seq.test', 'obj-4', nil), 4, 'sequence not reset')
end)

test:test('newer database refused', function(t)
    t:plan(2)
    box.space._schema:replace({'minitoolstream_schema_version', schema.LATEST + 1})
    local ok, err = h.perr(mts.start, {user = h.USER, password = h.PASSWORD})
    t:ok(not ok, 'start() fails')
    t:like(err or '', 'newer than this code', 'with a clear message')
    box.space._schema:replace({'minitoolstream_schema_version', schema.LATEST})
end)

h.finish(test)
