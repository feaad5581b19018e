#!/usr/bin/env tarantool
-- Delivery bookkeeping that survives restarts and follows the message: ordered delivery counts,
-- fenced acknowledgements in both modes, failures with their reason and redelivery backoff.

package.path = debug.getinfo(1, 'S').source:match('^@?(.*/)') .. '?.lua;' .. package.path
local h = require('helper')
local tap = require('tap')
local fiber = require('fiber')

local test = tap.test('delivery')
test:plan(7)

local mts = h.boot()
local API = mts.api
local compat = require('minitoolstream.compat')

local function publish(subject, n)
    local seqs = {}
    for i = 1, n do
        seqs[i] = API.publish_record(subject, nil, {}, subject .. '-' .. i, nil, nil)
    end
    return seqs
end

test:test('ordered: the delivery count is stored and follows the message to the next owner', function(t)
    t:plan(6)
    local s = publish('d.count', 3)
    local first = API.start_ordered_delivery('d.count', 'd', 'c1', s[1], 30)
    t:is_deeply({first.owner, first.ready, first.delivery_count}, {true, true, 1}, 'first delivery counts 1')
    local again = API.start_ordered_delivery('d.count', 'd', 'c1', s[1], 30)
    t:is(again.delivery_count, 2, 'a redelivery counts 2')
    local other = API.start_ordered_delivery('d.count', 'd', 'c2', s[1], 30)
    t:is(other.owner, false, 'another consumer is refused while the owner holds the durable')
    API.release_ordered('d.count', 'd', 'c1')
    local next_owner = API.start_ordered_delivery('d.count', 'd', 'c2', s[1], 30)
    t:is_deeply({next_owner.owner, next_owner.delivery_count}, {true, 3}, 'the next owner sees the count go on')
    t:is(API.ack_ordered('d.count', 'd', 'c2', s[1]), true, 'the owner acks')
    local fresh = API.start_ordered_delivery('d.count', 'd', 'c2', s[1], 30)
    t:is(fresh.delivery_count, 1, 'rows at or below the position are dropped with the ack')
end)

test:test('ordered: a consumer that lost the durable cannot move the position', function(t)
    t:plan(4)
    local s = publish('d.fence', 2)
    API.start_ordered_delivery('d.fence', 'd', 'old', s[1], 0.05)
    fiber.sleep(0.1)
    t:ok(API.start_ordered_delivery('d.fence', 'd', 'new', s[1], 30).owner, 'the lease lapsed: new owner')
    local ok, err = pcall(API.ack_ordered, 'd.fence', 'd', 'old', s[2])
    t:ok(not ok and err.code == compat.CONFLICT, 'the old owner\'s ack is refused with CONFLICT')
    t:like(tostring(err.message), 'not held by consumer old', 'naming the consumer')
    t:is(API.get_consumer_position('d', 'd.fence'), 0, 'the position did not move')
end)

test:test('ordered: a failure is remembered and the backoff holds the redelivery back', function(t)
    t:plan(5)
    local s = publish('d.fail', 1)
    API.start_ordered_delivery('d.fail', 'd', 'c1', s[1], 30)
    t:is(API.fail_delivery('d.fail', 'd', 'c1', s[1], 'boom', 0.2), true, 'failure recorded')
    local waiting = API.start_ordered_delivery('d.fail', 'd', 'c1', s[1], 30)
    t:is_deeply({waiting.ready, waiting.delivery_count}, {false, 1}, 'not ready during the backoff, not counted')
    t:is(waiting.last_failure, 'boom', 'the reason is kept')
    fiber.sleep(0.25)
    local ready = API.start_ordered_delivery('d.fail', 'd', 'c1', s[1], 30)
    t:is_deeply({ready.ready, ready.delivery_count}, {true, 2}, 'ready after the backoff')
    t:is(API.fail_delivery('d.fail', 'd', 'someone', s[1], 'x', 0), false, 'only the holder records failures')
end)

test:test('ordered: a failure of a message later in the batch is counted as its first delivery', function(t)
    t:plan(3)
    local s = publish('d.later', 3)
    API.start_ordered_delivery('d.later', 'd', 'c1', s[1], 30)
    API.ack_ordered('d.later', 'd', 'c1', s[2])
    t:is(API.fail_delivery('d.later', 'd', 'c1', s[3], 'third failed', 0), true, 'recorded for the owner')
    local next = API.start_ordered_delivery('d.later', 'd', 'c1', s[3], 30)
    t:is_deeply({next.delivery_count, next.last_failure}, {2, 'third failed'}, 'its redelivery counts 2')
    t:is(API.fail_delivery('d.later', 'd', 'other', s[3] + 0, 'x', 0), false, 'not for a non-owner')
end)

test:test('competing: a released message waits out its backoff and carries its last failure', function(t)
    t:plan(4)
    local s = publish('c.fail', 1)
    t:is(#API.claim_messages('c.fail', 'd', 'c1', 10, 30), 1, 'claimed')
    API.fail_delivery('c.fail', 'd', 'c1', s[1], 'route failed', 0.2)
    t:is(#API.claim_messages('c.fail', 'd', 'c2', 10, 30), 0, 'nobody gets it during the backoff')
    fiber.sleep(0.25)
    local again = API.claim_messages('c.fail', 'd', 'c2', 10, 30)
    t:is(again[1].delivery_count, 2, 'claimed again after it, count 2')
    t:is(again[1].last_failure, 'route failed', 'with the last failure')
end)

test:test('competing: an ack from a consumer whose claim went to another is refused', function(t)
    t:plan(4)
    local s = publish('c.fence', 2)
    API.claim_messages('c.fence', 'd', 'slow', 10, 0.05)
    fiber.sleep(0.1)
    t:is(#API.claim_messages('c.fence', 'd', 'fast', 10, 30), 2, 'leases lapsed: claimed by another')
    local ok, err = pcall(API.ack_claimed, 'c.fence', 'd', 'slow', s[1])
    t:ok(not ok and err.code == compat.CONFLICT, 'single ack refused with CONFLICT')
    local results = API.ack_claimed_batch('c.fence', 'd', 'slow', {s[2]})
    t:ok(type(results[1]) == 'table' and results[1].conflict == true, 'batch ack refused for that message')
    t:is(API.ack_claimed_batch('c.fence', 'd', 'fast', {s[1], s[2]})[2], true, 'the holder acks')
end)

test:test('validation', function(t)
    t:plan(2)
    local ok, err = pcall(API.fail_delivery, 'v', 'd', 'c', 1, nil, 0)
    t:ok(not ok and err.code == compat.INVALID_ARGUMENT, 'reason required')
    ok, err = pcall(API.fail_delivery, 'v', 'd', 'c', 1, 'r', -1)
    t:ok(not ok and tostring(err.message):find('backoff_seconds', 1, true) ~= nil, 'negative backoff refused')
end)

h.finish(test)
