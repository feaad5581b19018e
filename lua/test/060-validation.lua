#!/usr/bin/env tarantool
-- Argument validation: every function refuses bad input with a box.error naming the value,
-- and treats msgpack nil (box.NULL) as nil.

package.path = debug.getinfo(1, 'S').source:match('^@?(.*/)') .. '?.lua;' .. package.path
local h = require('helper')
local tap = require('tap')

local test = tap.test('validation')
test:plan(13)

local mts = h.boot()
local API = mts.api
local V = require('minitoolstream.validate')

local function refuses(t, fn, args, pattern, what)
    local ok, err = pcall(fn, unpack(args, 1, table.maxn(args)))
    local message = err
    if type(err) == 'cdata' then
        message = err.message
    end
    -- the code, not the text, tells clients it was their arguments
    t:ok(not ok and type(err) == 'cdata' and err.code == require('minitoolstream.compat').INVALID_ARGUMENT
        and tostring(message):find(pattern, 1, true) ~= nil,
        string.format('%s -> %s (code %s)', what, tostring(message), type(err) == 'cdata' and err.code or '-'))
end

local BAD_SUBJECTS = {
    {'', "invalid subject '': must not be empty"},
    {'a b', "invalid subject 'a b': must not contain whitespace or control characters"},
    {'a\tb', "invalid subject 'a\\x09b': must not contain whitespace or control characters"},
    {'a\nb', 'must not contain whitespace'},
    {'a\0b', 'must not contain whitespace'},
    {'a\127b', 'must not contain whitespace'},
    {string.rep('x', 256), 'must be at most 255 bytes, got 256'},
    {42, 'invalid subject 42: must be a string, got number'},
    {box.NULL, 'invalid subject nil: required'},
    {{}, 'invalid subject (table): must be a string, got table'},
}

-- Functions whose first argument is the subject, with otherwise valid arguments.
local SUBJECT_FIRST = {
    publish_message = {'o', nil},
    get_messages_by_subject = {0, 10},
    get_latest_sequence_for_subject = {},
    get_consumers_by_subject = {},
    grpc_get_last_sequence = {},
    grpc_fetch = {'d', 10, false},
    grpc_fetch_msgpack = {'d', 10, false},
    check_new_messages = {'d'},
    grpc_peek = {'d', 10},
    get_new_messages_count = {'d', nil},
    publish_record = {nil, nil, 'p', nil, nil},
    fetch_messages = {0, 10},
    peek_messages = {'d', 10},
}

test:test('subject rules, every function', function(t)
    local names = {}
    for name in pairs(SUBJECT_FIRST) do
        table.insert(names, name)
    end
    table.sort(names)
    t:plan(#names * #BAD_SUBJECTS + 3 * #BAD_SUBJECTS)
    for _, name in ipairs(names) do
        for _, case in ipairs(BAD_SUBJECTS) do
            local rest = SUBJECT_FIRST[name]
            local full = {case[1]}
            for i = 1, table.maxn(rest) do
                full[i + 1] = rest[i]
            end
            refuses(t, API[name], full, case[2], name .. '(' .. V.show(case[1]) .. ')')
        end
    end
    -- Subject in another position.
    for _, case in ipairs(BAD_SUBJECTS) do
        refuses(t, API.update_consumer_position, {'d', case[1], 1}, case[2], 'update_consumer_position')
        refuses(t, API.get_consumer_position, {'d', case[1]}, case[2], 'get_consumer_position')
        refuses(t, API.grpc_ack, {'d', case[1], 1}, case[2], 'grpc_ack')
    end
end)

test:test('valid subjects', function(t)
    t:plan(3)
    t:ok(API.publish_message(string.rep('s', 255), 'o', nil) > 0, '255 bytes accepted')
    t:ok(API.publish_message('orders.eu-1/x_y:z', 'o', nil) > 0, 'punctuation accepted')
    t:ok(API.publish_message('заказы', 'o', nil) > 0, 'UTF-8 accepted')
end)

test:test('durable_name rules', function(t)
    t:plan(8)
    refuses(t, API.get_consumer_position, {'', 's'}, "invalid durable_name '': must not be empty", 'empty')
    refuses(t, API.grpc_ack, {'a b', 's', 1}, "invalid durable_name 'a b'", 'space')
    refuses(t, API.grpc_fetch, {'s', box.NULL, 10, false}, 'invalid durable_name nil: required', 'nil')
    refuses(t, API.grpc_peek, {'s', 7, 10}, 'invalid durable_name 7: must be a string', 'number')
    refuses(t, API.peek_messages, {'s', string.rep('d', 256), 10}, 'at most 255 bytes', 'long')
    refuses(t, API.check_new_messages, {'s', 'x\1'}, 'invalid durable_name', 'control char')
    refuses(t, API.update_consumer_position, {'', 's', 1}, "invalid durable_name ''", 'update')
    refuses(t, API.get_new_messages_count, {'s', '', nil}, "invalid durable_name ''",
        'get_new_messages_count (optional but checked when given)')
end)

test:test('headers', function(t)
    t:plan(13)
    refuses(t, API.publish_message, {'s', 'o', {1, 2}}, 'invalid headers: key 1 must be a string',
        'a Lua array')
    refuses(t, API.publish_message, {'s', 'o', h.wire({'a'})}, 'must be a map of strings, got an array',
        'a msgpack array')
    refuses(t, API.publish_message, {'s', 'o', h.wire(setmetatable({}, {__serialize = 'seq'}))},
        'got an array', 'an empty msgpack array')
    refuses(t, API.publish_message, {'s', 'o', {k = 1}}, "invalid headers: value of 'k' must be a string, got number",
        'a number value')
    refuses(t, API.publish_record, {'s', nil, {k = {}}, 'p'}, "value of 'k' must be a string, got table",
        'a table value')
    refuses(t, API.publish_message, {'s', 'o', 'k=v'}, "invalid headers 'k=v': must be a map of strings, got string", 'a string')
    t:ok(API.publish_message('s', 'o', {}) > 0, 'an empty Lua table is an empty map')
    t:ok(API.publish_message('s', 'o', h.wire(h.map())) > 0, 'an empty msgpack map')
    t:ok(API.publish_message('s', 'o', box.NULL) > 0, 'box.NULL headers')
    refuses(t, API.publish_message, {'s', 'o', {[''] = 'v'}}, "invalid headers: name '' must be 1 to 255 bytes",
        'an empty name')
    refuses(t, API.publish_message, {'s', 'o', {[string.rep('k', 256)] = 'v'}}, 'must be 1 to 255 bytes, got 256',
        'a 256-byte name')
    refuses(t, API.publish_message, {'s', 'o', {big = string.rep('v', 65537)}},
        "more than 65536 bytes of names and values (at 'big')", 'a value over the budget')
    local many = {}
    for i = 1, 3000 do
        many['key' .. i] = 'value'
    end
    t:ok(API.publish_message('s', 'o', many) > 0, 'thousands of small headers fit')
end)

test:test('sequences and counts', function(t)
    t:plan(9)
    refuses(t, API.get_message_by_sequence, {-1}, 'invalid sequence -1: must not be negative', 'negative')
    refuses(t, API.get_message_by_sequence, {1.5}, 'invalid sequence 1.5: must be an integer', 'fraction')
    refuses(t, API.get_message_by_sequence, {'1'}, "invalid sequence '1': must be a non-negative integer",
        'string')
    refuses(t, API.get_message_by_sequence, {0 / 0}, 'must be a finite number', 'NaN')
    refuses(t, API.get_message_by_sequence, {box.NULL}, 'invalid sequence nil: required', 'nil')
    refuses(t, API.fetch_messages, {'s', -5, 10}, 'invalid after_sequence -5', 'after_sequence')
    refuses(t, API.update_consumer_position, {'d', 's', -1}, 'invalid last_sequence -1', 'last_sequence')
    refuses(t, API.get_new_messages_count, {'s', nil, -1}, 'invalid since_sequence -1', 'since_sequence')
    t:is(API.get_message_by_sequence(require('msgpack').decode(require('msgpack').encode(
        18446744073709551615ULL))), nil, 'a uint64 beyond 2^53 is accepted')
end)

test:test('limits', function(t)
    t:plan(8)
    refuses(t, API.fetch_messages, {'s', 0, 0}, 'invalid limit 0: must be greater than 0', 'limit 0')
    refuses(t, API.fetch_messages, {'s', 0, -1}, 'invalid limit -1: must not be negative', 'limit -1')
    refuses(t, API.fetch_messages, {'s', 0, box.NULL}, 'invalid limit nil: required', 'limit nil')
    refuses(t, API.grpc_fetch, {'s', 'd', 0, false}, 'invalid batch_size 0', 'batch_size 0')
    refuses(t, API.grpc_peek, {'s', 'd', 'ten'}, "invalid batch_size 'ten'", 'batch_size string')
    refuses(t, API.get_messages_by_subject, {'s', 0, 0}, 'invalid limit 0', 'get_messages_by_subject')
    t:is(V.limit(20000), 10000, 'limits are capped at 10000')
    t:ok(type(API.fetch_messages('s', 0, 1000000)) == 'table', 'a huge limit is capped, not refused')
end)

test:test('ttl', function(t)
    t:plan(4)
    refuses(t, API.delete_old_messages, {-1}, 'invalid ttl_seconds -1', 'negative ttl')
    refuses(t, API.delete_old_messages, {box.NULL}, 'invalid ttl_seconds nil: required', 'nil ttl')
    refuses(t, API.delete_expired_messages, {1.5, nil, 10}, 'invalid ttl_seconds 1.5', 'fractional ttl')
    refuses(t, API.delete_expired_messages, {10, nil, box.NULL}, 'invalid limit nil', 'nil limit')
end)

test:test('object_name', function(t)
    t:plan(5)
    refuses(t, API.publish_message, {'s', '', nil}, "invalid object_name '': must not be empty", 'empty')
    refuses(t, API.publish_message, {'s', box.NULL, nil}, 'invalid object_name nil: required',
        'publish_message requires it')
    refuses(t, API.publish_message, {'s', 5, nil}, 'invalid object_name 5: must be a string', 'number')
    refuses(t, API.publish_record, {'s', string.rep('o', 1025), nil, nil}, 'at most 1024 bytes', 'long')
    t:ok(API.publish_message('s', string.rep('o', 1024), nil) > 0, '1024 bytes accepted')
end)

test:test('publish_record', function(t)
    t:plan(4)
    refuses(t, API.publish_record, {'s', nil, nil, 'p', -1, nil}, 'invalid size -1', 'negative size')
    refuses(t, API.publish_record, {'s', nil, nil, 'p', nil, ''}, "invalid content_type ''", 'empty content_type')
    refuses(t, API.publish_record, {'s', nil, nil, 'p', nil, 7}, 'invalid content_type 7', 'number content_type')
    refuses(t, API.publish_record, {'s', nil, nil, {}, nil, nil}, 'invalid payload (table)', 'table payload')
end)

test:test('auto_ack', function(t)
    t:plan(2)
    refuses(t, API.grpc_fetch, {'s', 'd', 10, 'yes'}, "invalid auto_ack 'yes': must be a boolean", 'string')
    t:ok(type(API.grpc_fetch('s', 'd', 10, box.NULL)) == 'table', 'nil means false')
end)

test:test('grpc_publish* report instead of raising', function(t)
    t:plan(2)
    local r = API.grpc_publish('s', '', nil)
    t:is_deeply({r.sequence, r.status_code, r.error_message},
        {0, 1, "invalid object_name '': must not be empty"}, 'grpc_publish')
    r = API.grpc_publish_msgpack('bad subject', 'data', nil)
    t:is_deeply({r.sequence, r.status_code, r.error_message},
        {0, 1, "invalid subject 'bad subject': must not contain whitespace or control characters"},
        'grpc_publish_msgpack')
end)

test:test('errors are box.errors', function(t)
    t:plan(2)
    local ok, err = pcall(API.get_latest_sequence_for_subject, '')
    t:ok(not ok and type(err) == 'cdata', 'a box.error object')
    t:is(err.message, "invalid subject '': must not be empty", 'its message names the value')
end)

test:test('nothing written on a refused call', function(t)
    t:plan(2)
    local before = box.space.message:len()
    local seq_before = require('minitoolstream.compat').sequence_current(box.sequence.message_sequence)
    pcall(API.publish_record, 'ok', 'o', {k = 1}, nil, nil, nil)
    pcall(API.publish_message, '', 'o', nil)
    t:is(box.space.message:len(), before, 'no rows')
    t:is(require('minitoolstream.compat').sequence_current(box.sequence.message_sequence), seq_before,
        'validation happens before a number is taken')
end)

h.finish(test)
