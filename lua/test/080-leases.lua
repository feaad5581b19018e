#!/usr/bin/env tarantool
-- Competing consumers: leases (claim, ack, release, extend), the durable's floor with
-- out-of-order acks, ordered ownership, validation, cleanup, and concurrent consumers over
-- the network as the application user.

package.path = debug.getinfo(1, 'S').source:match('^@?(.*/)') .. '?.lua;' .. package.path
local h = require('helper')
local tap = require('tap')
local fiber = require('fiber')
local net_box = require('net.box')

local test = tap.test('leases')
test:plan(17)

local HOST = '127.0.0.1'
local PORT = h.free_port()
local mts = h.boot({listen = HOST .. ':' .. PORT})
local API = mts.api
local schema = require('minitoolstream.schema')

local function publish(subject, n)
    local seqs = {}
    for i = 1, n do
        seqs[i] = API.publish_record(subject, nil, {i = tostring(i)}, subject .. '-' .. i, nil, nil)
    end
    return seqs
end

local function seqs_of(records)
    local result = {}
    for i, r in ipairs(records) do
        result[i] = r.sequence
    end
    return result
end

local function counts_of(records)
    local result = {}
    for i, r in ipairs(records) do
        result[i] = r.delivery_count
    end
    return result
end

local function set(list)
    local s = {}
    for _, v in ipairs(list) do
        s[v] = true
    end
    return s
end

test:test('schema: migration 4 adds leases, acks, ordered_owners', function(t)
    t:plan(7)
    t:ok(schema.LATEST >= 4 and API.get_schema_version() == schema.LATEST, 'at the latest version')
    local names = {}
    for i, f in ipairs(box.space.leases:format()) do
        names[i] = f.name .. ':' .. f.type
    end
    t:is_deeply(names, {'durable_name:string', 'subject:string', 'sequence:unsigned',
        'consumer_id:string', 'deadline:number', 'delivery_count:unsigned', 'last_failure:string',
        'not_before:number'}, 'leases format (with migration 6\'s failure fields)')
    local idx = {}
    for i = 0, 3 do
        local index = box.space.leases.index[i]
        local parts = {}
        for j, p in ipairs(index.parts) do
            parts[j] = p.fieldno
        end
        idx[i + 1] = {index.name, index.unique, parts}
    end
    t:is_deeply(idx, {
        {'primary', true, {1, 2, 3}},
        {'deadline', false, {1, 2, 5}},
        {'consumer', false, {1, 2, 4}},
        {'message', false, {2, 3}},
    }, 'leases indexes: primary, deadline (expired leases), consumer, message')
    t:ok(box.space.acks ~= nil and box.space.acks.index.primary ~= nil, 'acks')
    t:ok(box.space.ordered_owners ~= nil and #box.space.ordered_owners.index.primary.parts == 2,
        'ordered_owners keyed by (durable_name, subject)')

    -- Re-run migration 4 on a populated database: idempotent, rows kept.
    local a = publish('mig', 3)
    API.claim_messages('mig', 'd', 'c1', 1, 60)
    API.ack_claimed('mig', 'd', 'c1', a[2])
    box.space._schema:replace({'minitoolstream_schema_version', 3})
    local ok, err = h.perr(mts.start, {user = h.USER, password = h.PASSWORD})
    t:ok(ok, 'migration 4 re-runs: ' .. tostring(err))
    t:is_deeply({box.space.leases:len(), box.space.acks:len(), API.get_schema_version()},
        {1, 1, schema.LATEST}, 'lease and ack rows kept')
end)

test:test('a claim never hands an unexpired message to two consumers', function(t)
    t:plan(7)
    local a = publish('c.a', 6)
    local first = API.claim_messages('c.a', 'd', 'c1', 3, 60)
    t:is_deeply(seqs_of(first), {a[1], a[2], a[3]}, 'c1 gets the oldest three')
    t:is_deeply(counts_of(first), {1, 1, 1}, 'delivery_count 1 on the first claim')
    local r = first[1]
    t:is_deeply({r.subject, r.payload, r.size, r.headers.i, r.object_name == nil, r.create_at > 0},
        {'c.a', 'c.a-1', 5, '1', true, true}, 'records shaped like fetch_messages')
    t:ok(h.keys_on_wire(r).object_name and h.keys_on_wire(r).content_type, 'nil fields present on the wire')
    local second = API.claim_messages('c.a', 'd', 'c2', 10, 60)
    t:is_deeply(seqs_of(second), {a[4], a[5], a[6]}, 'c2 gets only the rest')
    t:is(#API.claim_messages('c.a', 'd', 'c3', 10, 60), 0, 'nothing left for c3')
    t:is(#API.claim_messages('c.a', 'other', 'c3', 10, 60), 6, 'another durable has its own leases')
end)

test:test('an expired lease is claimed again with delivery_count 2', function(t)
    t:plan(4)
    local a = publish('c.exp', 3)
    API.claim_messages('c.exp', 'd', 'c1', 2, 0.1)
    t:is_deeply(seqs_of(API.claim_messages('c.exp', 'd', 'c2', 10, 60)), {a[3]},
        'unexpired leases skipped')
    fiber.sleep(0.15)
    local again = API.claim_messages('c.exp', 'd', 'c2', 10, 60)
    t:is_deeply(seqs_of(again), {a[1], a[2]}, 'expired leases re-claimed by anyone')
    t:is_deeply(counts_of(again), {2, 2}, 'delivery_count 2')
    t:is(box.space.leases:get({'d', 'c.exp', a[1]})[4], 'c2', 'the lease now names c2')
end)

test:test('out-of-order acks advance the floor only over contiguous acknowledged messages', function(t)
    t:plan(12)
    -- Interleave another subject and burn a number, so the subject's sequences have gaps.
    local s = {}
    for i = 1, 5 do
        s[i] = publish('o.a', 1)[1]
        publish('o.other', 1)
        if i == 2 then
            box.sequence.message_sequence:next()
        end
    end
    API.claim_messages('o.a', 'd', 'c1', 5, 60)
    t:is(API.ack_claimed('o.a', 'd', 'c1', s[2]), true, 'ack 2 of 5')
    t:is(API.get_consumer_position('d', 'o.a'), 0, 'floor stays below the unacked first')
    t:is(API.ack_claimed('o.a', 'd', 'c1', s[4]), true, 'ack 4')
    t:is_deeply(API.get_claim_stats('o.a', 'd'), {floor = 0, leased = 3, acked_above_floor = 2},
        'two acks above the floor, three leases left')
    t:is(API.ack_claimed('o.a', 'd', 'c1', s[1]), true, 'ack 1')
    t:is(API.get_consumer_position('d', 'o.a'), s[2], 'floor jumps over 1 and 2 (not to 4: 3 is open)')
    t:is(API.ack_claimed('o.a', 'd', 'c1', s[3]), true, 'ack 3')
    t:is(API.get_consumer_position('d', 'o.a'), s[4],
        'floor over 3 and 4 across the gaps of other subjects and a burnt number')
    t:is_deeply(API.get_claim_stats('o.a', 'd'), {floor = s[4], leased = 1, acked_above_floor = 0},
        'acks at or below the floor are removed')
    t:is(box.space.acks:select({'d', 'o.a'})[1], nil, 'no ack rows left')
    t:is_deeply(seqs_of(API.peek_messages('o.a', 'd', 10)), {s[5]},
        'existing functions see the floor as the position')
    t:is(API.ack_claimed('o.a', 'd', 'c1', s[5]), true, 'ack the last')
end)

test:test('ack_claimed_batch acknowledges many in one call, each as ack_claimed would', function(t)
    t:plan(7)
    local a = publish('b.a', 5)
    local other = publish('b.other', 1)
    API.claim_messages('b.a', 'd', 'c1', 5, 60)
    t:is_deeply(API.ack_claimed_batch('b.a', 'd', 'c1', {a[2], a[1], a[4]}), {true, true, true},
        'three acks, out of order')
    t:is(API.get_consumer_position('d', 'b.a'), a[2], 'floor over the contiguous 1 and 2')
    local result = API.ack_claimed_batch('b.a', 'd', 'c1', {a[1], other[1], a[3]})
    t:is(result[1], false, 'already acknowledged: false')
    t:ok(type(result[2]) == 'table' and tostring(result[2].error):find('invalid sequence ' .. other[1], 1, true),
        'another subject\'s sequence: its own error, ' .. tostring(result[2] and result[2].error))
    t:is(result[3], true, 'the rest of the call still counts')
    t:is(API.get_consumer_position('d', 'b.a'), a[4], 'floor over 3 and 4 once, at the end')
    local ok, err = h.perr(API.ack_claimed_batch, 'b.a', 'd', 'c1', 'not an array')
    t:ok(not ok and err:find('invalid sequences', 1, true), 'a non-array refused: ' .. tostring(err))
end)

test:test('ack_claimed is idempotent and checks the sequence', function(t)
    t:plan(9)
    local a = publish('i.a', 3)
    local b = publish('i.b', 1)
    API.claim_messages('i.a', 'd', 'c1', 3, 60)
    t:is(API.ack_claimed('i.a', 'd', 'c1', a[2]), true, 'first ack: true')
    t:is(API.ack_claimed('i.a', 'd', 'c1', a[2]), false, 'again (above the floor): false')
    t:is(API.ack_claimed('i.a', 'd', 'c1', a[1]), true, 'ack 1: floor moves to 2')
    t:is(API.ack_claimed('i.a', 'd', 'c1', a[1]), false, 'again (at or below the floor): false')
    local ok, err = h.perr(API.ack_claimed, 'i.a', 'd', 'c1', b[1])
    t:ok(not ok and err:find('invalid sequence ' .. b[1], 1, true) and err:find("'i.a'", 1, true),
        'another subject\'s sequence refused: ' .. tostring(err))
    ok, err = h.perr(API.ack_claimed, 'i.a', 'd', 'c1', 10 ^ 9)
    t:ok(not ok and err:find('no such message'), 'a number never issued refused: ' .. tostring(err))
    -- Fencing: while c1 holds the lease, only c1 may acknowledge the message.
    ok, err = h.perr(API.ack_claimed, 'i.a', 'd', 'c2', a[3])
    t:ok(not ok and err:find('claimed by another consumer', 1, true), 'an ack by another consumer refused')
    t:is(API.ack_claimed('i.a', 'd', 'c1', a[3]), true, 'the holder acks')
    t:is_deeply({API.get_consumer_position('d', 'i.a'), box.space.leases:select({'d', 'i.a'})[1]},
        {a[3], nil}, 'lease removed, floor at the end')
end)

test:test('an ack after the lease expired counts unless another consumer claimed the message', function(t)
    t:plan(5)
    local a = publish('late', 3)
    API.claim_messages('late', 'd', 'c1', 1, 0.05)
    fiber.sleep(0.1)
    t:is(API.ack_claimed('late', 'd', 'c1', a[1]), true, 'expired but nobody took it: the slow c1 acks')
    API.claim_messages('late', 'd', 'c1', 1, 0.05)
    fiber.sleep(0.1)
    local again = API.claim_messages('late', 'd', 'c2', 1, 60)
    t:is_deeply({again[1].sequence, again[1].delivery_count}, {a[2], 2}, 'c2 re-claimed the next one')
    local ok, err = h.perr(API.ack_claimed, 'late', 'd', 'c1', a[2])
    t:ok(not ok and err:find('lost its lease', 1, true), 'the slow c1 is fenced off: ' .. tostring(err))
    t:is(API.ack_claimed('late', 'd', 'c2', a[2]), true, 'c2 acks')
    t:is_deeply(seqs_of(API.claim_messages('late', 'd', 'c3', 10, 60)), {a[3]},
        'the acked messages are not handed out again')
end)

test:test('release makes a message claimable at once', function(t)
    t:plan(7)
    local a = publish('rel', 2)
    API.claim_messages('rel', 'd', 'c1', 2, 60)
    t:is(API.release_claimed('rel', 'd', 'c2', a[1]), false, 'not c2\'s lease: false')
    t:is(API.release_claimed('rel', 'd', 'c1', a[1]), true, 'c1 releases its lease: true')
    t:is(API.release_claimed('rel', 'd', 'c1', a[1]), false, 'released already: false')
    t:is(API.release_claimed('rel', 'd', 'c1', 10 ^ 9), false, 'no lease: false')
    local again = API.claim_messages('rel', 'd', 'c2', 10, 60)
    t:is_deeply(seqs_of(again), {a[1]}, 'claimable at once, by anyone')
    t:is(again[1].delivery_count, 2, 'the delivery count is kept across a release')
    t:is_deeply(API.get_claim_stats('rel', 'd'), {floor = 0, leased = 2, acked_above_floor = 0}, 'stats')
end)

test:test('extend_claims is a heartbeat for the consumer\'s own leases', function(t)
    t:plan(5)
    local a = publish('ext', 3)
    API.claim_messages('ext', 'd', 'c1', 2, 0.2)
    API.claim_messages('ext', 'd', 'c2', 1, 0.2)
    t:is(API.extend_claims('ext', 'd', 'c1', 60), 2, 'two leases extended')
    t:is(API.extend_claims('ext', 'd', 'nobody', 60), 0, 'none for a consumer without leases')
    fiber.sleep(0.25)
    t:is_deeply(seqs_of(API.claim_messages('ext', 'd', 'c3', 10, 60)), {a[3]},
        'only the unextended lease expired')
    t:is(API.extend_claims('ext', 'd', 'c2', 60), 0, 'an expired (lost) lease is not extended')
    API.release_claimed('ext', 'd', 'c1', a[1])
    t:is(API.extend_claims('ext', 'd', 'c1', 60), 1, 'nor a released one')
end)

test:test('ordered ownership: exclusive, renewed, taken over after expiry', function(t)
    t:plan(9)
    t:is(API.acquire_ordered('ord', 'd', 'c1', 0.2), true, 'c1 acquires')
    t:is(API.acquire_ordered('ord', 'd', 'c2', 60), false, 'c2 refused while c1 owns it')
    t:is(API.acquire_ordered('ord', 'other', 'c2', 60), true, 'another durable is independent')
    fiber.sleep(0.1)
    t:is(API.acquire_ordered('ord', 'd', 'c1', 0.2), true, 'c1 renews')
    fiber.sleep(0.15)
    t:is(API.acquire_ordered('ord', 'd', 'c2', 60), false, 'renewal kept c2 out past the first deadline')
    fiber.sleep(0.1)
    t:is(API.acquire_ordered('ord', 'd', 'c2', 60), true, 'c2 takes over after c1 expired')
    t:is(API.release_ordered('ord', 'd', 'c1'), false, 'c1 no longer owns it: release false')
    t:is(API.release_ordered('ord', 'd', 'c2'), true, 'c2 releases')
    t:is(API.acquire_ordered('ord', 'd', 'c1', 60), true, 'free again')
end)

test:test('claims skip rows a bounded number of times', function(t)
    t:plan(2)
    local claims = require('minitoolstream.claims')
    local saved = claims.SCAN_LIMIT
    claims.SCAN_LIMIT = 3
    local a = publish('scan', 5)
    API.claim_messages('scan', 'd', 'c1', 3, 60)
    t:is(#API.claim_messages('scan', 'd', 'c2', 10, 60), 0, 'scan limit reached on leased rows')
    claims.SCAN_LIMIT = saved
    t:is_deeply(seqs_of(API.claim_messages('scan', 'd', 'c2', 10, 60)), {a[4], a[5]},
        'found with the default limit')
end)

test:test('cleanup removes leases and acks of deleted messages', function(t)
    t:plan(3)
    local a = publish('ttl', 3)
    API.claim_messages('ttl', 'd', 'c1', 3, 60)
    API.ack_claimed('ttl', 'd', 'c1', a[2])
    -- Age the first two rows, then clean up.
    for i = 1, 2 do
        box.space.message:update({a[i]}, {{'=', 5, 1}})
    end
    local deleted = API.delete_expired_messages(3600, 'ttl', 100)
    t:is(#deleted, 2, 'two messages deleted')
    t:is_deeply({#box.space.leases:select({'d', 'ttl'}), #box.space.acks:select({'d', 'ttl'})}, {1, 0},
        'their lease and ack rows went with them')
    t:is(API.ack_claimed('ttl', 'd', 'c1', a[3]), true, 'the floor then moves past the deleted rows')
end)

test:test('argument validation', function(t)
    local cases = {
        {API.claim_messages, {'', 'd', 'c', 1, 1}, "invalid subject '': must not be empty"},
        {API.claim_messages, {'s', 'd d', 'c', 1, 1}, "invalid durable_name 'd d': must not contain"},
        {API.claim_messages, {'s', 'd', box.NULL, 1, 1}, 'invalid consumer_id nil: required'},
        {API.claim_messages, {'s', 'd', 'c\n', 1, 1}, "invalid consumer_id 'c\\x0A': must not contain"},
        {API.claim_messages, {'s', 'd', 7, 1, 1}, 'invalid consumer_id 7: must be a string, got number'},
        {API.claim_messages, {'s', 'd', 'c', 0, 1}, 'invalid limit 0: must be greater than 0'},
        {API.claim_messages, {'s', 'd', 'c', 1, 0}, 'invalid ack_wait_seconds 0: must be greater than 0'},
        {API.claim_messages, {'s', 'd', 'c', 1, -2}, 'invalid ack_wait_seconds -2: must be greater than 0'},
        {API.claim_messages, {'s', 'd', 'c', 1, '5'},
            "invalid ack_wait_seconds '5': must be a number of seconds, got string"},
        {API.claim_messages, {'s', 'd', 'c', 1, 0 / 0}, 'invalid ack_wait_seconds nan: must be a finite number'},
        {API.claim_messages, {'s', 'd', 'c', 1, 10 ^ 9}, 'invalid ack_wait_seconds 1000000000: must be at most'},
        {API.ack_claimed, {'s', 'd', 'c', -1}, 'invalid sequence -1: must not be negative'},
        {API.ack_claimed, {'s', 'd', 'c', 1.5}, 'invalid sequence 1.5: must be an integer'},
        {API.ack_claimed, {'s', 'd', '', 1}, "invalid consumer_id '': must not be empty"},
        {API.release_claimed, {'s', 'd', 'c', box.NULL}, 'invalid sequence nil: required'},
        {API.release_claimed, {'s', 'd', 'c', 'x'}, "invalid sequence 'x': must be a non-negative integer"},
        {API.extend_claims, {'s', 'd', 'c', box.NULL}, 'invalid ack_wait_seconds nil: required'},
        {API.acquire_ordered, {'s', 'd', 'c', 0}, 'invalid ttl_seconds 0: must be greater than 0'},
        {API.acquire_ordered, {'s', box.NULL, 'c', 1}, 'invalid durable_name nil: required'},
        {API.release_ordered, {'s', 'd', string.rep('x', 256)}, 'invalid consumer_id'},
        {API.get_claim_stats, {box.NULL, 'd'}, 'invalid subject nil: required'},
    }
    t:plan(#cases + 1)
    local before = {box.space.leases:len(), box.space.acks:len(), box.space.ordered_owners:len()}
    for _, c in ipairs(cases) do
        local ok, err = h.perr(c[1], unpack(c[2], 1, table.maxn(c[2])))
        t:ok(not ok and err:find(c[3], 1, true), c[3] .. ' <- ' .. tostring(err))
    end
    t:is_deeply({box.space.leases:len(), box.space.acks:len(), box.space.ordered_owners:len()}, before,
        'refused calls change nothing')
end)

test:test('fractional and 64-bit durations', function(t)
    t:plan(2)
    publish('dur', 1)
    local r = API.claim_messages('dur', 'd', 'c', 1, 0.5)
    local lease = box.space.leases:get({'d', 'dur', r[1].sequence})
    t:ok(math.abs(lease[5] - (fiber.time() + 0.5)) < 0.1, 'deadline = now + 0.5 (seconds with fractions)')
    t:is(API.extend_claims('dur', 'd', 'c', 30ULL), 1, 'a uint64 duration')
end)

test:test('concurrent consumers over the network never share an unexpired message', function(t)
    local N = 300
    local a = publish('net', N)
    local consumers, claimed, acked, errors = 4, {}, 0, {}
    local done = fiber.channel(consumers)
    for c = 1, consumers do
        fiber.create(function()
            local conn = net_box.connect(string.format('%s:%s@%s:%d', h.USER, h.PASSWORD, HOST, PORT))
            local id = 'net-' .. c
            while true do
                local ok, batch = pcall(conn.call, conn, 'claim_messages', {'net', 'grp', id, 7, 60})
                if not ok then
                    table.insert(errors, tostring(batch))
                    break
                end
                if #batch == 0 then
                    break
                end
                -- Ack in reverse order: out of order on purpose.
                for i = #batch, 1, -1 do
                    local seq = batch[i].sequence
                    claimed[seq] = (claimed[seq] or 0) + 1
                    if conn:call('ack_claimed', {'net', 'grp', id, seq}) then
                        acked = acked + 1
                    end
                end
            end
            conn:close()
            done:put(true)
        end)
    end
    for _ = 1, consumers do
        done:get(30)
    end
    local twice = 0
    local count = 0
    for _, n in pairs(claimed) do
        count = count + 1
        if n > 1 then
            twice = twice + 1
        end
    end
    t:plan(5)
    t:is_deeply(errors, {}, 'no call failed')
    t:is(count, N, 'every message claimed')
    t:is(twice, 0, 'none claimed twice')
    t:is(acked, N, 'every ack accepted once')
    t:is_deeply(API.get_claim_stats('net', 'grp'), {floor = a[N], leased = 0, acked_above_floor = 0},
        'the floor reached the last message')
end)

test:test('claim state on the wire and in the old functions', function(t)
    t:plan(3)
    local conn = net_box.connect(string.format('%s:%s@%s:%d', h.USER, h.PASSWORD, HOST, PORT))
    local stats = conn:call('get_claim_stats', {'net', 'grp'})
    t:ok(stats.floor > 0 and stats.leased == 0, 'get_claim_stats over the network')
    t:is(conn:call('get_consumer_position', {'grp', 'net'}), stats.floor, 'position = floor')
    local info = conn:call('get_instance_info', {})
    t:ok(info.ro == false and info.id == 1 and type(info.uuid) == 'string' and info.vclock_sum > 0,
        'get_instance_info: ' .. require('json').encode(info))
    conn:close()
end)

test:test('set_sync toggles is_sync on the data spaces', function(t)
    t:plan(3)
    local changed = schema.set_sync(true)
    t:is_deeply(changed, schema.DATA_SPACES, 'all five changed')
    local all = true
    for _, name in ipairs(schema.DATA_SPACES) do
        all = all and box.space[name].is_sync == true
    end
    t:ok(all, 'is_sync on each (quorum 1 here: writes still commit)')
    -- 2.10+: synchronous writes need the queue's owner (a no-op before).
    require('minitoolstream.replication').claim_synchro_queue()
    API.publish_record('sync', nil, nil, 'x', nil, nil)
    schema.set_sync(false)
    t:is(box.space.message.is_sync, false, 'and back')
end)

h.finish(test)
