#!/usr/bin/env tarantool
-- Consuming: positions, fetch/peek (seed and component shapes), acks, new-message counts.

package.path = debug.getinfo(1, 'S').source:match('^@?(.*/)') .. '?.lua;' .. package.path
local h = require('helper')
local tap = require('tap')

local test = tap.test('consume and ack')
test:plan(11)

local mts = h.boot()
local API = mts.api

-- Two interleaved subjects.
local a, b = {}, {}
for i = 1, 6 do
    table.insert(a, API.publish_record('q.a', nil, {i = tostring(i)}, 'a' .. i, nil, nil))
    table.insert(b, API.publish_message('q.b', 'q.b/' .. i, nil))
end

local function seqs(rows)
    local result = {}
    for i, r in ipairs(rows) do
        result[i] = box.tuple.is(r) and r[1] or r.sequence
    end
    return result
end

test:test('consumer positions', function(t)
    t:plan(6)
    t:is(API.get_consumer_position('d1', 'q.a'), 0, '0 when none')
    t:is(API.update_consumer_position('d1', 'q.a', a[2]), true, 'update returns true')
    t:is(API.get_consumer_position('d1', 'q.a'), a[2], 'position set')
    API.update_consumer_position('d1', 'q.a', a[1])
    t:is(API.get_consumer_position('d1', 'q.a'), a[1], 'update sets (may move back)')
    API.update_consumer_position('d2', 'q.a', 0)
    API.update_consumer_position('d1', 'q.b', 0)
    local consumers = API.get_consumers_by_subject('q.a')
    local names = {}
    for i, c in ipairs(consumers) do
        names[i] = c[1]
    end
    table.sort(names)
    t:is_deeply(names, {'d1', 'd2'}, 'get_consumers_by_subject returns that subject only')
    t:ok(box.tuple.is(consumers[1]) and consumers[1][2] == 'q.a', 'as consumer tuples')
    API.update_consumer_position('d1', 'q.a', 0)
end)

test:test('grpc_fetch', function(t)
    t:plan(5)
    local rows = API.grpc_fetch('q.a', 'f1', 2, false)
    t:is_deeply(seqs(rows), {a[1], a[2]}, 'first batch')
    t:ok(box.tuple.is(rows[1]), 'tuples')
    t:is(API.get_consumer_position('f1', 'q.a'), 0, 'no auto_ack: position unchanged')
    rows = API.grpc_fetch('q.a', 'f1', 2, true)
    t:is(API.get_consumer_position('f1', 'q.a'), a[2], 'auto_ack: position at the last returned')
    rows = API.grpc_fetch('q.a', 'f1', 100, box.NULL)
    t:is_deeply(seqs(rows), {a[3], a[4], a[5], a[6]}, 'continues after the position')
end)

test:test('grpc_fetch_msgpack', function(t)
    t:plan(4)
    local rows = API.grpc_fetch_msgpack('q.a', 'fm', 1, true)
    local m = rows[1]
    t:is_deeply({m.sequence, m.subject, m.data_msgpack, m.object_name == nil},
        {a[1], 'q.a', 'a1', true}, 'map shape with data_msgpack = payload')
    t:is_deeply(m.headers, {i = '1'}, 'headers')
    t:ok(h.keys_on_wire(m).object_name and m.create_at > 0, 'object_name present as nil, create_at')
    t:is(API.get_consumer_position('fm', 'q.a'), a[1], 'auto_ack')
end)

test:test('grpc_peek and peek_messages', function(t)
    t:plan(4)
    API.update_consumer_position('p', 'q.b', b[3])
    t:is_deeply(seqs(API.grpc_peek('q.b', 'p', 10)), {b[4], b[5], b[6]}, 'grpc_peek after position')
    t:is(API.get_consumer_position('p', 'q.b'), b[3], 'position unchanged')
    local maps = API.peek_messages('q.b', 'p', 2)
    t:is_deeply(seqs(maps), {b[4], b[5]}, 'peek_messages limited')
    t:is(maps[1].object_name, 'q.b/4', 'as maps')
end)

test:test('check_new_messages', function(t)
    t:plan(2)
    API.update_consumer_position('c', 'q.a', a[4])
    t:is_deeply(API.check_new_messages('q.a', 'c'), {has_new = true, latest_sequence = a[6],
        consumer_position = a[4], new_count = 2}, 'counts messages, not sequence distance')
    API.update_consumer_position('c', 'q.a', a[6])
    t:is_deeply(API.check_new_messages('q.a', 'c'), {has_new = false, latest_sequence = a[6],
        consumer_position = a[6], new_count = 0}, 'nothing new')
end)

test:test('get_new_messages_count', function(t)
    t:plan(4)
    API.update_consumer_position('n', 'q.b', b[2])
    t:is(API.get_new_messages_count('q.b', 'n', nil), 4, 'after the durable position')
    t:is(API.get_new_messages_count('q.b', box.NULL, b[5]), 1, 'after since_sequence')
    t:is(API.get_new_messages_count('q.b', box.NULL, box.NULL), 6, 'all when both nil')
    t:is(API.get_new_messages_count('nope', nil, nil), 0, '0 for an unknown subject')
end)

test:test('grpc_ack is monotonic and cumulative', function(t)
    t:plan(5)
    t:is(API.grpc_ack('ack', 'q.a', a[3]), true, 'moves forward: true')
    t:is(API.get_consumer_position('ack', 'q.a'), a[3], 'position moved')
    t:is(API.grpc_ack('ack', 'q.a', a[2]), false, 'behind: false')
    t:is(API.grpc_ack('ack', 'q.a', a[3]), false, 'same: false')
    t:is(API.get_consumer_position('ack', 'q.a'), a[3], 'position never moves back')
end)

test:test('grpc_ack refuses sequences that are not the subject\'s', function(t)
    t:plan(4)
    local ok, err = h.perr(API.grpc_ack, 'ack', 'q.a', b[5])
    t:ok(not ok and err:find("invalid sequence " .. b[5]) and err:find("'q.a'"),
        'another subject\'s sequence: ' .. tostring(err))
    ok, err = h.perr(API.grpc_ack, 'ack', 'q.a', 1000000)
    t:ok(not ok and err:find('no such message'), 'a sequence never issued: ' .. tostring(err))
    ok, err = h.perr(API.grpc_ack, 'ack', 'empty.subject', 1000000)
    t:ok(not ok, 'never issued, on an empty subject: ' .. tostring(err))
    t:is(API.get_consumer_position('ack', 'q.a'), a[3], 'position unchanged by refused acks')
end)

test:test('grpc_ack accepts cleaned-up sequences', function(t)
    t:plan(4)
    -- Remove the two oldest rows of q.a, as TTL cleanup would.
    box.space.message:delete({a[1]})
    box.space.message:delete({a[2]})
    t:is(API.grpc_ack('gone', 'q.a', a[2]), true, 'below the oldest remaining row: accepted')
    -- b[1] < a[3] (the oldest remaining q.a row) and was issued: indistinguishable from a
    -- cleaned-up q.a row, so accepted by the rule.
    t:is(API.grpc_ack('gone2', 'q.a', b[1]), true, 'below the oldest and issued: accepted')
    -- An empty subject: every issued number may have been its.
    t:is(API.grpc_ack('gone', 'empty.subject', 3), true, 'empty subject, issued number: accepted')
    t:is(API.grpc_ack('gone', 'empty.subject', 0), false, 'ack 0 is a no-op')
end)

test:test('gaps: a burnt number inside a subject is refused', function(t)
    t:plan(1)
    -- A failed insert burns a number: simulate with next() and no row.
    local burnt = box.sequence.message_sequence:next()
    API.publish_message('q.a', 'q.a/after-gap', nil)
    local ok = h.perr(API.grpc_ack, 'gap', 'q.a', burnt)
    t:ok(not ok, 'the burnt number is not one of the subject\'s')
end)

test:test('fetch after ack sees the rest', function(t)
    t:plan(2)
    API.grpc_ack('flow', 'q.b', b[4])
    local rows = API.peek_messages('q.b', 'flow', 100)
    t:is_deeply(seqs(rows), {b[5], b[6]}, 'peek after the acked position')
    t:is(#API.peek_messages('q.b', 'new-durable', 100), 6, 'a new durable starts at 0')
end)

h.finish(test)
