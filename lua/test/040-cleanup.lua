#!/usr/bin/env tarantool
-- TTL cleanup: delete_old_messages (seed: batched, yielding) and delete_expired_messages
-- (component: bounded, per subject or all).

package.path = debug.getinfo(1, 'S').source:match('^@?(.*/)') .. '?.lua;' .. package.path
local h = require('helper')
local tap = require('tap')
local fiber = require('fiber')

local test = tap.test('cleanup')
test:plan(8)

local mts = h.boot()
local API = mts.api
local api_module = require('minitoolstream.api')

local HOUR = 3600

-- Publish n messages on subject, aged `age` seconds.
local function publish_aged(subject, n, age, inline)
    local seqs = {}
    for i = 1, n do
        local s
        if inline then
            s = API.publish_record(subject, nil, nil, 'p' .. i, nil, nil)
        else
            s = API.publish_message(subject, subject .. '/' .. i, nil)
        end
        box.space.message:update({s}, {{'=', 5, os.time() - age}})
        table.insert(seqs, s)
    end
    return seqs
end

test:test('delete_old_messages', function(t)
    t:plan(7)
    local old = publish_aged('ttl.a', 3, 2 * HOUR)
    local fresh = publish_aged('ttl.a', 2, 0)
    local old_b = publish_aged('ttl.b', 1, 2 * HOUR, true)
    local count, deleted = API.delete_old_messages(HOUR)
    t:is(count, 4, 'two return values: the count')
    t:is(#deleted, 4, 'and the deleted rows')
    local by_seq = {}
    for _, d in ipairs(deleted) do
        by_seq[d.sequence] = d
    end
    t:is_deeply(by_seq[old[1]], {sequence = old[1], subject = 'ttl.a', object_name = 'ttl.a/1'},
        'map {sequence, subject, object_name}')
    t:ok(by_seq[old_b[1]] ~= nil and by_seq[old_b[1]].object_name == nil
        and h.keys_on_wire(by_seq[old_b[1]]).object_name, 'inline row: object_name msgpack nil')
    t:ok(box.space.message:get({old[1]}) == nil and box.space.message:get({old[3]}) == nil,
        'old rows gone')
    t:ok(box.space.message:get({fresh[1]}) ~= nil and box.space.message:get({fresh[2]}) ~= nil,
        'fresh rows kept')
    local c2, d2 = API.delete_old_messages(HOUR)
    t:is_deeply({c2, #d2}, {0, 0}, 'nothing left to delete')
end)

test:test('delete_old_messages works in batches and yields', function(t)
    t:plan(4)
    local saved = api_module.CLEANUP_BATCH
    api_module.CLEANUP_BATCH = 7
    publish_aged('batch', 50, 2 * HOUR)
    local keep = publish_aged('batch', 3, 0)

    local ticks, running = 0, true
    local ticker = fiber.create(function()
        while running do
            ticks = ticks + 1
            fiber.yield()
        end
    end)
    -- Count transactions and the deletes in each.
    local transactions, in_txn, largest = 0, 0, 0
    local begin = box.begin
    box.begin = function(...)
        transactions = transactions + 1
        in_txn = 0
        return begin(...)
    end
    local trigger = function()
        in_txn = in_txn + 1
        largest = math.max(largest, in_txn)
    end
    box.space.message:on_replace(trigger)
    local count = API.delete_old_messages(HOUR)
    box.space.message:on_replace(nil, trigger)
    box.begin = begin
    running = false
    api_module.CLEANUP_BATCH = saved

    t:is(count, 50, 'all 50 deleted')
    t:is_deeply({transactions, largest}, {8, 7}, '8 transactions of at most 7 rows')
    t:ok(ticks >= 7, 'other fibers ran between batches (' .. ticks .. ' ticks)')
    t:is(box.space.message.index.subject_sequence:count({'batch'}), #keep, 'fresh rows kept')
    local _ = ticker
end)

test:test('default batch is bounded', function(t)
    t:plan(2)
    t:is(api_module.CLEANUP_BATCH, 1000, '1,000 rows per transaction')
    publish_aged('big', 2500, 2 * HOUR)
    local count = API.delete_old_messages(HOUR)
    t:is(count, 2500, '2,500 rows over three transactions')
end)

test:test('delete_expired_messages: all subjects, bounded', function(t)
    t:plan(5)
    local x = publish_aged('exp.x', 4, 2 * HOUR)
    local y = publish_aged('exp.y', 3, 2 * HOUR)
    local fresh = publish_aged('exp.x', 1, 0)
    local first = API.delete_expired_messages(HOUR, nil, 5)
    t:is(#first, 5, 'at most limit rows')
    t:is(first[1].sequence, x[1], 'oldest first')
    local second = API.delete_expired_messages(HOUR, box.NULL, 5)
    t:is(#second, 2, 'the rest: fewer than limit ends the loop')
    t:is(#API.delete_expired_messages(HOUR, nil, 5), 0, 'then nothing')
    t:ok(box.space.message:get({fresh[1]}) ~= nil and box.space.message:get({y[3]}) == nil,
        'fresh row kept, expired gone')
end)

test:test('delete_expired_messages: one subject', function(t)
    t:plan(4)
    local p = publish_aged('exp.p', 3, 2 * HOUR)
    local q = publish_aged('exp.q', 3, 2 * HOUR)
    local deleted = API.delete_expired_messages(HOUR, 'exp.p', 100)
    t:is(#deleted, 3, 'all of exp.p')
    local only_p = true
    for _, d in ipairs(deleted) do
        only_p = only_p and d.subject == 'exp.p'
    end
    t:ok(only_p, 'only exp.p')
    t:ok(box.space.message:get({q[1]}) ~= nil, 'exp.q untouched')
    t:is_deeply(deleted[1], {sequence = p[1], subject = 'exp.p', object_name = 'exp.p/1'},
        'map shape')
    API.delete_expired_messages(HOUR, 'exp.q', 100)
end)

test:test('ttl boundary', function(t)
    t:plan(2)
    local s = API.publish_message('edge', 'edge/1', nil)
    local created = os.time() - 100
    box.space.message:update({s}, {{'=', 5, created}})
    -- fiber.time() is fixed until the fiber yields, so `now` is the function's clock.
    local now = math.floor(fiber.time())
    t:is(#API.delete_expired_messages(now - created, 'edge', 10), 0,
        'create_at == now - ttl is kept')
    now = math.floor(fiber.time())
    t:is(#API.delete_expired_messages(now - created - 1, 'edge', 10), 1,
        'create_at < now - ttl is deleted')
end)

test:test('a cleaned-up number is never reused', function(t)
    t:plan(1)
    local s = publish_aged('reuse', 1, 2 * HOUR)[1]
    API.delete_old_messages(HOUR)
    t:ok(API.publish_message('reuse', 'reuse/2', nil) > s, 'new number after cleanup')
end)

test:test('validation', function(t)
    t:plan(3)
    t:ok(not h.perr(API.delete_old_messages, -1), 'negative ttl refused')
    t:ok(not h.perr(API.delete_expired_messages, 10, nil, 0), 'limit 0 refused')
    t:ok(not h.perr(API.delete_expired_messages, 10, 'bad subject', 10), 'bad subject refused')
end)

h.finish(test)
