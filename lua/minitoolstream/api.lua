-- The public API: the frozen seed API (seed_api.lua) and the component API
-- (component_api.lua). Every function is published as a global (so IPROTO `call` finds it by
-- name), registered in _func with setuid, and executable by the application user.
--
-- Each function is one call: it validates its arguments (raising a box.error that names the
-- bad value, code compat.INVALID_ARGUMENT), then does its work without yielding, or inside one
-- explicit transaction, so it is atomic. Nil values inside returned maps are box.NULL, so the
-- key is present and the client sees msgpack nil.

local seed = require('minitoolstream.seed_api')
local component = require('minitoolstream.component_api')

local API = {}

-- Published names, in a fixed order: the seed API, then the component API.
API.NAMES = {}
API.functions = {}
for _, part in ipairs({seed, component}) do
    for _, name in ipairs(part.NAMES) do
        assert(API.functions[name] == nil, 'published twice: ' .. name)
        assert(type(part.functions[name]) == 'function', name)
        table.insert(API.NAMES, name)
        API.functions[name] = part.functions[name]
    end
    for name in pairs(part.functions) do
        assert(API.functions[name] ~= nil, 'unlisted API function ' .. name)
    end
end

-- Rows per transaction of the seed's delete_old_messages (tests lower it).
setmetatable(API, {
    __index = function(_, key)
        if key == 'CLEANUP_BATCH' then
            return seed.CLEANUP_BATCH
        end
    end,
    __newindex = function(t, key, value)
        if key == 'CLEANUP_BATCH' then
            seed.CLEANUP_BATCH = value
        else
            rawset(t, key, value)
        end
    end,
})

return API
