#!/usr/bin/env tarantool
-- Idempotent publish (message ids), replay by time and reset_position.

package.path = debug.getinfo(1, 'S').source:match('^@?(.*/)') .. '?.lua;' .. package.path
local h = require('helper')
local tap = require('tap')
local fiber = require('fiber')

local test = tap.test('dedup and replay')
test:plan(8)

local mts = h.boot()
local API = mts.api
local compat = require('minitoolstream.compat')
local ids = require('minitoolstream.message_ids')

test:test('a live id stores nothing and answers with the original', function(t)
    t:plan(6)
    local first = API.publish_record('d', 'd/obj-1', nil, nil, 10, nil, 'id-1', 60000)
    t:is(type(first), 'number', 'the first publish returns its sequence')
    local count = box.space.message:len()
    local again = API.publish_record('d', 'd/obj-2', nil, nil, 10, nil, 'id-1', 60000)
    t:is_deeply({again.duplicate, again.code, again.sequence, again.object_name},
        {true, compat.CONFLICT, first, 'd/obj-1'}, 'the second answers with the original and code CONFLICT')
    t:is(box.space.message:len(), count, 'and stores nothing')
    local found = API.find_message_id('d', 'id-1')
    t:is_deeply({found.sequence, found.object_name}, {first, 'd/obj-1'}, 'find_message_id finds it')
    t:is(API.find_message_id('d', 'other'), box.NULL, 'an unknown id is nil')
    local other_subject = API.publish_record('e', 'e/obj', nil, nil, 10, nil, 'id-1', 60000)
    t:is(type(other_subject), 'number', 'ids are per subject')
end)

test:test('window 0 and no id turn it off', function(t)
    t:plan(2)
    local a = API.publish_record('off', nil, nil, 'x', nil, nil, 'id', 0)
    local b = API.publish_record('off', nil, nil, 'x', nil, nil, 'id', 0)
    t:ok(type(a) == 'number' and type(b) == 'number' and b > a, 'window 0: both stored')
    t:is(API.find_message_id('off', 'id'), box.NULL, 'and not remembered')
end)

test:test('an expired id is free again and cleaned in bounded batches', function(t)
    t:plan(4)
    local a = API.publish_record('x', nil, nil, 'x', nil, nil, 'short', 1)
    fiber.sleep(0.01)
    t:is(API.find_message_id('x', 'short'), box.NULL, 'expired after its window')
    local b = API.publish_record('x', nil, nil, 'x', nil, nil, 'short', 60000)
    t:ok(type(b) == 'number' and b > a, 'publishing it again stores a new record')
    box.begin()
    for i = 1, 20 do
        box.space.message_ids:replace({'x', 'old-' .. i, 1, box.NULL, 1})
    end
    box.commit()
    API.publish_record('x', nil, nil, 'x', nil, nil, 'trigger', 60000)
    t:is(box.space.message_ids.index.expires_at:count({1}), 20 - ids.CLEANUP_PER_PUBLISH,
        'a publish with an id removes at most CLEANUP_PER_PUBLISH expired ids')
    API.delete_expired_messages(86400, box.NULL, 100)
    t:is(box.space.message_ids.index.expires_at:count({1}), 0, 'delete_expired_messages removes the rest')
end)

test:test('publish_records: ids within and across a batch, typed errors', function(t)
    t:plan(4)
    local r = API.publish_records({
        {'b', nil, nil, 'one', nil, nil, 'same', 60000},
        {'b', nil, nil, 'two', nil, nil, 'same', 60000},
        {'b', nil, nil, 'three', nil, nil, string.rep('i', 256), 60000},
    })
    t:is(type(r[1]), 'number', 'first stored')
    t:is_deeply({r[2].duplicate, r[2].sequence}, {true, r[1]}, 'the same id later in the batch is a duplicate')
    t:ok(r[3].code == compat.INVALID_ARGUMENT and r[3].error:find('message_id', 1, true) ~= nil,
        'a bad id is refused with code INVALID_ARGUMENT: ' .. tostring(r[3].error))
    local again = API.publish_records({{'b', nil, nil, 'x', nil, nil, 'same', 60000}})
    t:is(again[1].sequence, r[1], 'and in a later batch too')
end)

test:test('records keep a millisecond timestamp', function(t)
    t:plan(2)
    local before = math.floor(fiber.time() * 1000)
    local s = API.publish_record('ms', nil, nil, 'x', nil, nil)
    local row = API.fetch_messages('ms', s - 1, 1)[1]
    t:ok(row.create_at_ms >= before and row.create_at_ms <= before + 1000, 'create_at_ms is now')
    t:is(row.create_at, math.floor(row.create_at_ms / 1000), 'create_at is the same time in seconds')
end)

test:test('get_position_at_time', function(t)
    t:plan(3)
    local s1 = API.publish_record('time', nil, nil, 'a', nil, nil)
    fiber.sleep(0.02)
    local middle = math.floor(fiber.time() * 1000)
    fiber.sleep(0.02)
    local s2 = API.publish_record('time', nil, nil, 'b', nil, nil)
    t:is(API.get_position_at_time('time', 0), s1 - 1, 'the epoch: before the first message')
    t:is(API.get_position_at_time('time', middle), s2 - 1, 'between: before the first later one')
    t:is(API.get_position_at_time('time', middle + 3600000), s2, 'the future: the newest')
end)

test:test('reset_position and adopt_position_reset', function(t)
    t:plan(11)
    local s = {}
    for i = 1, 5 do
        s[i] = API.publish_record('r', nil, nil, 'm' .. i, nil, nil)
    end
    t:is(API.get_stored_position('dur', 'r'), nil, 'a new durable has no stored position')
    API.grpc_ack('dur', 'r', s[4])
    t:is(API.get_stored_position('dur', 'r'), s[4], 'the stored position')
    t:is(API.adopt_position_reset('dur', 'r', box.NULL).resets, 0, 'no reset yet')
    t:is(API.reset_position('dur', 'r', s[2], box.NULL), s[2] - 1, 'backwards to a sequence')
    t:is(API.get_consumer_position('dur', 'r'), s[2] - 1, 'position stored')
    API.grpc_ack('dur', 'r', s[5]) -- an ack that raced the reset
    local adopted = API.adopt_position_reset('dur', 'r', 0)
    t:is_deeply({adopted.resets, adopted.position}, {1, s[2] - 1}, 'adopting undoes the racing ack')
    t:is(API.get_consumer_position('dur', 'r'), s[2] - 1, 'stored again')
    t:is(API.adopt_position_reset('dur', 'r', 1).position, box.NULL, 'a known reset changes nothing')
    t:is(API.reset_position('dur', 'r', box.NULL, 0), s[1] - 1, 'by time')
    t:is(API.reset_position('dur', 'r', s[5] + 1, box.NULL), s[5], 'forwards, past the newest')
    -- a reset to before the very first message of a store stores 0: a position, unlike none
    box.space.consumers:replace({'zero', 'r', 0})
    t:is(API.get_stored_position('zero', 'r'), 0, 'a stored 0 is a position')
end)

test:test('bad arguments', function(t)
    t:plan(4)
    local function code(fn, ...)
        local ok, err = pcall(fn, ...)
        return not ok and err.code or nil
    end
    t:is(code(API.reset_position, 'dur', 'r', box.NULL, box.NULL), compat.INVALID_ARGUMENT, 'neither')
    t:is(code(API.reset_position, 'dur', 'r', 1, 1), compat.INVALID_ARGUMENT, 'both')
    t:is(code(API.reset_position, 'dur', 'r', 10 ^ 9, box.NULL), compat.INVALID_ARGUMENT, 'beyond issued')
    t:is(code(API.publish_record, 'r', nil, nil, 'x', nil, nil, '', 1000), compat.INVALID_ARGUMENT, 'empty id')
end)

h.finish(test)
