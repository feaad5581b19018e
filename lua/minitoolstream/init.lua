-- MiniToolStream: message stream metadata in Tarantool.
--
--     local mts = require('minitoolstream')
--     mts.start({user = 'minitoolstream', password = '...'})
--
-- start() needs a configured box (box.cfg done). On a writable instance it runs the schema
-- migrations and (re)creates the application user and its grants; a read-only replica waits
-- for them to arrive from its master. Then it publishes the public API functions as globals,
-- which is what IPROTO `call` looks up. Nothing else is made global.
--
-- Operator side (admin console, never callable by the application user):
--     require('minitoolstream').promote()    -- failover: make this replica the master

local log = require('log')
local api = require('minitoolstream.api')
local compat = require('minitoolstream.compat')
local grants = require('minitoolstream.grants')
local replication = require('minitoolstream.replication')
local schema = require('minitoolstream.schema')

local M = {}

M.VERSION = '0.1.0'
M.DEFAULT_USER = 'minitoolstream'

-- Names of the public functions, in a fixed order (a copy).
function M.api_names()
    return table.copy(api.NAMES)
end

-- The public functions by name (for in-process callers and tests).
M.api = api.functions

M.compat = compat

function M.schema_version()
    return schema.get_version()
end

local function publish_globals()
    for _, name in ipairs(api.NAMES) do
        rawset(_G, name, api.functions[name])
    end
end

-- Admin-side failover helper (see replication.lua): run on a replica by the operator.
M.promote = replication.promote

-- True when the schema is at the latest version and `user` may execute every API function.
local function schema_present(user)
    return schema.get_version() >= schema.LATEST and grants.present(user, api.NAMES)
end

local function wait_for_master(user, timeout)
    replication.wait_until(function()
        local version = schema.get_version()
        if version > schema.LATEST then
            error(string.format('MiniToolStream: the master\'s schema version %d is newer than ' ..
                'this code supports (%d); refusing to start', version, schema.LATEST), 0)
        end
        return schema_present(user)
    end, function()
        if schema.get_version() < schema.LATEST then
            return string.format('schema version %d of %d', schema.get_version(), schema.LATEST)
        end
        return string.format("user '%s' and its grants", user)
    end, timeout)
end

-- opts:
--   user      application user name (default 'minitoolstream')
--   password  its password (required)
--   lock_guest  take every privilege from guest (default true)
--   replication_user, replication_password
--             the user replicas authenticate as (created when given; writable instance only)
--   sync      true/false: make the data spaces synchronous or not; nil leaves them as they are
--   schema_wait  read-only instance with replication: seconds to wait for the master's
--             schema and grants (nil: for ever)
--
-- On a writable instance: replication user, migrations, application user and grants, sync.
-- On a read-only instance with replication configured: waits until the master's schema and
-- grants have arrived. A read-only instance without replication changes nothing.
function M.start(opts)
    opts = opts or {}
    if type(box.cfg) == 'function' then
        error('MiniToolStream: call box.cfg{} before minitoolstream.start()', 0)
    end
    local user = opts.user or M.DEFAULT_USER
    if box.info.ro then
        if replication.configured() then
            log.info('MiniToolStream: read-only replica; waiting for the master\'s schema')
            wait_for_master(user, opts.schema_wait)
            log.info('MiniToolStream: replica has schema version %d', schema.get_version())
        else
            log.warn('MiniToolStream: instance is read-only; skipping migrations and grants')
        end
    else
        if opts.replication_user ~= nil then
            grants.setup_replication(opts.replication_user, opts.replication_password, user)
        end
        local version = schema.migrate()
        grants.setup(user, opts.password, api.NAMES)
        if opts.lock_guest ~= false then
            grants.lock_guest()
        end
        if opts.sync ~= nil then
            schema.set_sync(opts.sync == true)
        end
        log.info('MiniToolStream: schema version %d, API user %s', version, user)
    end
    publish_globals()
    return M
end

return M
