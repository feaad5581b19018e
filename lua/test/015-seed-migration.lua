#!/usr/bin/env tarantool
-- Migrating a database written by the seed: its 6-field message space (data_msgpack, object_name
-- not nullable, '' for inline rows), numbers derived from max(primary), and its application
-- user with a universe grant.

package.path = debug.getinfo(1, 'S').source:match('^@?(.*/)') .. '?.lua;' .. package.path
local h = require('helper')
local tap = require('tap')

local test = tap.test('seed migration')
test:plan(9)

local SEED_ROWS = 2500 -- more than one migration batch

local function seed_database()
    local message = box.schema.space.create('message', {
        format = {
            {name = 'sequence', type = 'unsigned'},
            {name = 'headers', type = 'map'},
            {name = 'object_name', type = 'string'},
            {name = 'subject', type = 'string'},
            {name = 'create_at', type = 'unsigned'},
            {name = 'data_msgpack', type = 'scalar', is_nullable = true},
        },
    })
    message:create_index('primary', {parts = {'sequence'}})
    message:create_index('subject', {parts = {'subject'}, unique = false})
    message:create_index('subject_sequence', {parts = {'subject', 'sequence'}})
    message:create_index('create_at', {parts = {'create_at'}, unique = false})
    local consumers = box.schema.space.create('consumers', {
        format = {
            {name = 'durable_name', type = 'string'},
            {name = 'subject', type = 'string'},
            {name = 'last_sequence', type = 'unsigned'},
        },
    })
    consumers:create_index('primary', {parts = {'durable_name', 'subject'}})
    consumers:create_index('subject', {parts = {'subject'}, unique = false})

    local now = os.time()
    box.begin()
    for i = 1, SEED_ROWS do
        if i % 2 == 0 then
            message:insert({i, h.map({n = tostring(i)}), '', 'seed', now, 'inline-' .. i})
        else
            message:insert({i, h.map(), 'seed/obj-' .. i, 'seed', now, box.NULL})
        end
    end
    box.commit()
    consumers:insert({'old-durable', 'seed', 7})

    box.schema.user.create('minitoolstream', {password = 'changeme'})
    box.schema.user.grant('minitoolstream', 'read,write,execute', 'universe')
end

local mts = h.boot({before_start = seed_database, password = 'new-secret'})
local API = mts.api

test:is(API.get_schema_version(), require('minitoolstream.schema').LATEST, 'migrated to latest')

local names = {}
for i, f in ipairs(box.space.message:format()) do
    names[i] = f.name .. ':' .. f.type .. (f.is_nullable and '?' or '')
end
test:is_deeply(names, {'sequence:unsigned', 'headers:map', 'object_name:string?',
    'subject:string', 'create_at:unsigned', 'payload:any?', 'size:unsigned?',
    'content_type:string?', 'create_at_ms:unsigned?'}, 'format upgraded: data_msgpack adopted as payload')

test:is(box.space.message:len(), SEED_ROWS, 'rows kept')

local inline = box.space.message:get({SEED_ROWS})
test:ok(inline[3] == nil and inline[6] == 'inline-' .. SEED_ROWS,
    "inline seed rows: object_name '' became nil, payload kept (across batches)")
test:ok(inline[9] == inline[5] * 1000 and box.space.message:get({1})[9] == inline[5] * 1000,
    'create_at_ms back-filled from create_at (across batches)')
local s3 = box.space.message:get({1})
test:ok(s3[3] == 'seed/obj-1' and s3[6] == nil, 'S3 seed rows unchanged')

test:is(API.publish_message('seed', 'seed/next', nil), SEED_ROWS + 1,
    'the sequence starts after the highest existing number')

test:is(API.get_consumer_position('old-durable', 'seed'), 7, 'consumer positions kept')

local universe = {}
for _, p in ipairs(box.schema.user.info('minitoolstream')) do
    if p[2] == 'universe' then
        table.insert(universe, p[1])
    end
end
test:is_deeply(universe, {'session,usage'}, "the seed's universe read/write/execute grant is revoked")

h.finish(test)
