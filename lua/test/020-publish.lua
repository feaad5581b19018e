#!/usr/bin/env tarantool
-- Publishing and reading: publish_message, publish_record, grpc_publish*, the read functions,
-- return shapes and sequence allocation.

package.path = debug.getinfo(1, 'S').source:match('^@?(.*/)') .. '?.lua;' .. package.path
local h = require('helper')
local tap = require('tap')
local msgpack = require('msgpack')

local test = tap.test('publish')
test:plan(13)

local mts = h.boot()
local API = mts.api

test:test('publish_message', function(t)
    t:plan(8)
    local s1 = API.publish_message('orders', 'orders/1', {k = 'v'})
    local s2 = API.publish_message('orders', 'orders/2', nil)
    t:is(s1, 1, 'first sequence is 1')
    t:is(s2, 2, 'then 2')
    local row = box.space.message:get({s1})
    t:is(row[4], 'orders', 'subject stored')
    t:is(row[3], 'orders/1', 'object_name stored')
    t:is_deeply(row[2], {k = 'v'}, 'headers stored')
    t:ok(math.abs(row[5] - os.time()) <= 2, 'create_at is now (seconds)')
    local empty = box.space.message:get({s2})[2]
    t:is(next(empty), nil, 'nil headers stored as an empty map')
    t:is(msgpack.encode(empty), msgpack.encode(h.map()), 'encoded as a msgpack map')
end)

test:test('publish_record', function(t)
    t:plan(10)
    local s = API.publish_record('rec', nil, {a = 'b'}, 'xyz', 3, box.NULL)
    local row = box.space.message:get({s})
    t:ok(row[3] == nil and row[6] == 'xyz' and row[7] == 3 and row[8] == nil,
        'inline record: payload, size stored; object_name nil')
    s = API.publish_record('rec', box.NULL, box.NULL, 'abcd', box.NULL, 'text/plain')
    row = box.space.message:get({s})
    t:ok(row[7] == 4 and row[8] == 'text/plain', 'size defaults to the payload length')
    s = API.publish_record('rec', nil, nil, '', nil, nil)
    row = box.space.message:get({s})
    t:ok(row[6] == '' and row[7] == 0 and row[3] == nil, 'an empty payload is a 0-byte inline message')
    s = API.publish_record('rec', 'rec/big', nil, nil, 123456789, 'application/octet-stream')
    row = box.space.message:get({s})
    t:ok(row[3] == 'rec/big' and row[6] == nil and row[7] == 123456789, 'S3 record')
    s = API.publish_record('rec', 'rec/unknown', nil, box.NULL, box.NULL, box.NULL)
    row = box.space.message:get({s})
    t:ok(row[7] == nil and row[8] == nil, 'S3 record with unknown size and type')
    local binary = '\0\1\2\255\254'
    s = API.publish_record('rec', nil, nil, binary, nil, nil)
    t:is(box.space.message:get({s})[6], binary, 'binary payload stored byte for byte')

    local ok, err = h.perr(API.publish_record, 'rec', 'rec/x', nil, 'data', nil, nil)
    t:ok(not ok and err:find('mutually exclusive'), 'both object_name and payload: ' .. tostring(err))
    ok, err = h.perr(API.publish_record, 'rec', box.NULL, nil, box.NULL, nil, nil)
    t:ok(not ok and err:find('one of object_name and payload is required'),
        'neither: ' .. tostring(err))
    ok, err = h.perr(API.publish_record, 'rec', nil, nil, 'abc', 5, nil)
    t:ok(not ok and err:find('invalid size 5'), 'size mismatch: ' .. tostring(err))
    ok, err = h.perr(API.publish_record, 'rec', nil, nil, 42, nil, nil)
    t:ok(not ok and err:find('invalid payload 42'), 'payload must be bytes: ' .. tostring(err))
end)

test:test('publish_records (group commit)', function(t)
    t:plan(7)
    local before = box.space.message:len()
    local r = API.publish_records({
        {'gc', box.NULL, {a = 'b'}, 'one', box.NULL, box.NULL},
        {'gc', 'gc/obj', box.NULL, box.NULL, 10, 'application/octet-stream'},
        {'', box.NULL, box.NULL, 'bad subject', box.NULL, box.NULL},
        {'gc', box.NULL, box.NULL, 'three', box.NULL, box.NULL},
    })
    t:is(#r, 4, 'one result per record')
    t:ok(type(r[1]) == 'number' and r[2] == r[1] + 1 and r[4] == r[2] + 1,
        'valid records get increasing sequences, in order')
    t:ok(type(r[3]) == 'table' and tostring(r[3].error):find('subject') ~= nil,
        'an invalid record gets its own error: ' .. tostring(type(r[3]) == 'table' and r[3].error))
    t:is(box.space.message:len(), before + 3, 'the valid records are stored')
    local row = box.space.message:get({r[1]})
    t:ok(row[6] == 'one' and row[7] == 3 and row[2].a == 'b', 'payload, size and headers stored')
    local ok, err = h.perr(API.publish_records, 'not a table')
    t:ok(not ok and err:find('invalid records'), 'records must be an array: ' .. tostring(err))
    t:is_deeply(API.publish_records({}), {}, 'an empty batch stores nothing')
end)

test:test('grpc_publish', function(t)
    t:plan(4)
    local r = API.grpc_publish('g', 'g/1', {x = 'y'})
    t:ok(r.sequence > 0 and r.status_code == 0 and r.error_message == nil, 'success shape')
    t:ok(h.keys_on_wire(r).error_message, 'error_message present as msgpack nil')
    r = API.grpc_publish('', 'g/1', nil)
    t:is_deeply({r.sequence, r.status_code}, {0, 1}, 'validation error: sequence 0, status 1')
    t:is(r.error_message, "invalid subject '': must not be empty", 'error message, no raise')
end)

test:test('grpc_publish_msgpack', function(t)
    t:plan(5)
    local data = msgpack.encode({hello = 'world'})
    local r = API.grpc_publish_msgpack('gm', data, nil)
    t:is(r.status_code, 0, 'status 0')
    local row = box.space.message:get({r.sequence})
    t:ok(row[6] == data and row[7] == #data and row[3] == nil, 'data stored inline with size')
    r = API.grpc_publish_msgpack('gm', '', nil)
    t:is_deeply({r.sequence, r.status_code}, {0, 1}, 'empty data refused')
    t:like(r.error_message, 'must not be empty', 'with a message')
    r = API.grpc_publish_msgpack('gm', box.NULL, nil)
    t:is(r.status_code, 1, 'nil data refused')
end)

test:test('get_message_by_sequence', function(t)
    t:plan(3)
    local s = API.publish_message('one', 'one/1', nil)
    local tuple = API.get_message_by_sequence(s)
    t:is(box.tuple.is(tuple), true, 'a box tuple')
    t:is(tuple[1], s, 'the right one')
    t:is(API.get_message_by_sequence(999999), nil, 'nil when absent')
end)

-- Interleave subjects so the subject filters are exercised.
local a, b = {}, {}
for i = 1, 5 do
    table.insert(a, API.publish_message('sub.a', 'a/' .. i, nil))
    table.insert(b, API.publish_message('sub.b', 'b/' .. i, nil))
end
API.publish_message('sub.c', 'c/1', nil)

test:test('get_messages_by_subject', function(t)
    t:plan(5)
    local rows = API.get_messages_by_subject('sub.a', 0, 100)
    local seqs = {}
    for i, row in ipairs(rows) do
        seqs[i] = row[1]
    end
    t:is_deeply(seqs, a, 'all of the subject, ascending, nothing else')
    rows = API.get_messages_by_subject('sub.a', a[3], 100)
    t:is(rows[1][1], a[3], 'start_sequence is inclusive')
    t:is(#API.get_messages_by_subject('sub.a', 0, 2), 2, 'limit respected')
    t:is(#API.get_messages_by_subject('sub.b', b[5] + 1, 10), 0, 'nothing after the last')
    t:is(#API.get_messages_by_subject('nope', 0, 10), 0, 'empty for an unknown subject')
end)

test:test('get_latest_sequence_for_subject', function(t)
    t:plan(3)
    t:is(API.get_latest_sequence_for_subject('sub.a'), a[5], 'latest of sub.a')
    t:is(API.get_latest_sequence_for_subject('sub.b'), b[5], 'latest of sub.b')
    t:is(API.get_latest_sequence_for_subject('nope'), 0, '0 when none')
end)

test:test('grpc_get_last_sequence', function(t)
    t:plan(2)
    t:is_deeply(API.grpc_get_last_sequence('sub.b'), {last_sequence = b[5]}, 'map shape')
    t:is_deeply(API.grpc_get_last_sequence('nope'), {last_sequence = 0}, '0 when none')
end)

test:test('fetch_messages', function(t)
    t:plan(8)
    local s = API.publish_record('fm', nil, {h = 'v'}, 'payload', nil, 'text/plain')
    local s3 = API.publish_record('fm', 'fm/obj', nil, nil, 10, nil)
    local rows = API.fetch_messages('fm', 0, 10)
    t:is(#rows, 2, 'both')
    local m = rows[1]
    t:is_deeply({m.sequence, m.subject, m.object_name == nil, m.payload, m.size, m.content_type},
        {s, 'fm', true, 'payload', 7, 'text/plain'}, 'inline record map')
    t:is_deeply(m.headers, {h = 'v'}, 'headers')
    t:ok(m.create_at > 0, 'create_at')
    local keys = h.keys_on_wire(rows[2])
    t:ok(keys.payload and keys.content_type and keys.object_name and keys.size,
        'nil fields present on the wire as msgpack nil')
    t:is(msgpack.encode(rows[2].headers), msgpack.encode(h.map()), 'empty headers encode as a map')
    t:is(#API.fetch_messages('fm', s, 10), 1, 'after_sequence is exclusive')
    t:is(API.fetch_messages('fm', s, 10)[1].sequence, s3, 'next one')
end)

test:test('fetch_messages limit and subject isolation', function(t)
    t:plan(3)
    local rows = API.fetch_messages('sub.a', a[1], 3)
    t:is_deeply({rows[1].sequence, rows[2].sequence, rows[3].sequence}, {a[2], a[3], a[4]},
        'GT, ascending, limited')
    rows = API.fetch_messages('sub.a', a[4], 100)
    t:is(#rows, 1, 'stops at the end of the subject')
    t:is(#API.fetch_messages('sub.a', 0, 10000), 5, 'limit 10000 allowed')
end)

test:test('sequence numbers are never reused', function(t)
    t:plan(2)
    local last = API.publish_message('reuse', 'r/1', nil)
    box.space.message:delete({last})
    local max_before = box.space.message.index.primary:max()[1]
    local next_seq = API.publish_message('reuse', 'r/2', nil)
    t:ok(next_seq > last, 'after deleting the newest row, the next number is still new')
    t:ok(next_seq > max_before + 1, 'not max(primary) + 1')
end)

test:test('sequence persists across restart (see 070-init.lua for a real restart)', function(t)
    t:plan(1)
    t:ok(box.sequence.message_sequence ~= nil and box.space._sequence_data:get(
        {box.sequence.message_sequence.id}) ~= nil, 'sequence value is stored in _sequence_data')
end)

h.finish(test)
