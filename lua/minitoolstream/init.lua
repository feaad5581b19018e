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

local fiber = require('fiber')
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

-- `or_writable`: stop waiting as well when this instance becomes writable (elected leader).
local set_up_writable, keep_up_as_leader

local function wait_for_master(user, timeout, or_writable)
    replication.wait_until(function()
        local version = schema.get_version()
        if version > schema.LATEST then
            error(string.format('MiniToolStream: the master\'s schema version %d is newer than ' ..
                'this code supports (%d); refusing to start', version, schema.LATEST), 0)
        end
        return schema_present(user) or (or_writable and not box.info.ro)
    end, function()
        if schema.get_version() < schema.LATEST then
            return string.format('schema version %d of %d', schema.get_version(), schema.LATEST)
        end
        return string.format("user '%s' and its grants", user)
    end, timeout)
end

-- The writable instance's part: replication user, migrations, application user and grants,
-- guest locked, sync flags.
set_up_writable = function(user, opts)
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

-- With elections, leadership moves: each time this instance becomes writable, bring schema and
-- grants up to this code if they are behind (an upgraded instance elected after the old leader).
keep_up_as_leader = function(user, opts)
    fiber.create(function()
        fiber.name('mts-leader-setup', {truncate = true})
        while true do
            local ok, err = pcall(function()
                box.ctl.wait_rw()
                if not schema_present(user) then
                    set_up_writable(user, opts)
                end
                box.ctl.wait_ro()
            end)
            if not ok then
                log.warn('MiniToolStream: setting up as the new leader failed: %s', compat.error_message(err))
                fiber.sleep(1)
            end
        end
    end)
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
--   election  true: leader election is on (MTS_ELECTION). A read-only instance waits for the
--             schema or for being elected, whichever comes first; whenever this instance
--             becomes the leader it runs the writable instance's part (migrations, users,
--             grants, sync) if the schema or grants are behind this code.
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
            wait_for_master(user, opts.schema_wait, opts.election)
            log.info('MiniToolStream: replica has schema version %d', schema.get_version())
        else
            log.warn('MiniToolStream: instance is read-only; skipping migrations and grants')
        end
    end
    if not box.info.ro then
        set_up_writable(user, opts)
    end
    if opts.election then
        keep_up_as_leader(user, opts)
    end
    publish_globals()
    return M
end

return M
