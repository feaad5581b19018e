#!/usr/bin/env tarantool
-- find_unreferenced_objects: the orphan sweep asks which payload objects no record references.

package.path = debug.getinfo(1, 'S').source:match('^@?(.*/)') .. '?.lua;' .. package.path
local h = require('helper')
local tap = require('tap')

local test = tap.test('orphans')
test:plan(6)

local mts = h.boot()
local API = mts.api

API.publish_message('s', 's/kept', nil)
API.publish_record('s', nil, nil, 'inline', nil, nil)
local deleted = API.publish_message('s', 's/deleted', nil)
box.space.message:delete({deleted})

test:is_deeply(API.find_unreferenced_objects({'s/kept', 's/deleted', 's/never'}), {'s/deleted', 's/never'},
    'only unreferenced names, in input order')
test:is_deeply(API.find_unreferenced_objects({}), {}, 'an empty question')
test:ok(box.space.message.index.object_name ~= nil, 'an index answers it, not a scan')
local ok, err = pcall(API.find_unreferenced_objects, 'x')
test:ok(not ok and tostring(err):find("invalid object_names 'x'") ~= nil, 'a string is refused, naming it')
local many = {}
for i = 1, 1001 do
    many[i] = 'k' .. i
end
ok, err = pcall(API.find_unreferenced_objects, many)
test:ok(not ok and tostring(err):find('1001 keys, at most 1000') ~= nil, 'at most 1000 names')
ok, err = pcall(API.find_unreferenced_objects, {''})
test:ok(not ok and tostring(err):find("invalid object_name ''") ~= nil, 'each name is validated')

h.finish(test)
