-- MiniToolStream: message stream metadata in Tarantool.
--
--     local mts = require('minitoolstream')
--     mts.start({user = 'minitoolstream', password = '...'})
--
-- start() needs a configured box (box.cfg done). It runs the schema migrations, (re)creates
-- the application user and its grants, and publishes the public API functions as globals,
-- which is what IPROTO `call` looks up. Nothing else is made global.

local log = require('log')
local api = require('minitoolstream.api')
local compat = require('minitoolstream.compat')
local grants = require('minitoolstream.grants')
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

-- opts:
--   user      application user name (default 'minitoolstream')
--   password  its password (required)
--   lock_guest  take every privilege from guest (default true)
function M.start(opts)
    opts = opts or {}
    if type(box.cfg) == 'function' then
        error('MiniToolStream: call box.cfg{} before minitoolstream.start()', 0)
    end
    local user = opts.user or M.DEFAULT_USER
    if box.info.ro then
        -- A read-only instance (a replica) gets schema and grants from its master.
        log.warn('MiniToolStream: instance is read-only; skipping migrations and grants')
    else
        local version = schema.migrate()
        grants.setup(user, opts.password, api.NAMES)
        if opts.lock_guest ~= false then
            grants.lock_guest()
        end
        log.info('MiniToolStream: schema version %d, API user %s', version, user)
    end
    publish_globals()
    return M
end

return M
