-- The application user and its privileges: it may call the public API and nothing else.
--
-- The public functions are registered in _func with setuid, so they run with their owner's
-- (admin's) rights; the application user gets `execute` on each of them and nothing else:
-- no universe read/write/execute (so no eval and no direct space access). It keeps what every
-- user has by default: session+usage on universe, the `public` role (read on the _v* system
-- views, which drivers read to load metadata) and alter on itself (changing its own
-- password). Any other privilege it holds, e.g. the seed's universe grant, is revoked.
-- `guest` loses the `public` role and its session: it can call nothing, not even connect.

local log = require('log')
local compat = require('minitoolstream.compat')

local G = {}

local RESERVED_USERS = {admin = true, guest = true}

-- Register `name` as a setuid Lua function. A registration without setuid (e.g. left by an
-- older version) is replaced; dropping a function drops its grants, which are re-made below.
local function register_function(name)
    local existing = box.space._func.index.name:get({name})
    if existing ~= nil then
        local setuid = existing[4]
        local language = existing[5]
        if (setuid == 1 or setuid == true) and (language == nil or tostring(language):upper() == 'LUA') then
            return
        end
        box.schema.func.drop(name)
    end
    box.schema.func.create(name, {setuid = true, if_not_exists = true})
end

local function is_allowed(user, p, functions)
    if p.type == 'universe' then
        return p.priv == 'session' or p.priv == 'usage'
    elseif p.type == 'role' then
        return p.name == 'public' and p.priv == 'execute'
    elseif p.type == 'user' then
        return p.name == user and p.priv == 'alter'
    elseif p.type == 'function' then
        return functions[p.name] == true and p.priv == 'execute'
    end
    return false
end

-- Create or update the application user, register the public functions and make the
-- user's privileges exactly the allowed set.
function G.setup(user, password, names)
    if type(user) ~= 'string' or user == '' then
        error('MiniToolStream: the application user name must be a non-empty string', 0)
    end
    if RESERVED_USERS[user] then
        error(string.format("MiniToolStream: the application user must not be '%s'", user), 0)
    end
    if type(password) ~= 'string' or password == '' then
        error('MiniToolStream: the application user needs a non-empty password', 0)
    end
    if box.schema.role.exists(user) then
        error(string.format("MiniToolStream: '%s' is a role, not a user", user), 0)
    end

    if box.schema.user.exists(user) then
        box.schema.user.passwd(user, password)
    else
        box.schema.user.create(user, {password = password})
        log.info("MiniToolStream: created user '%s'", user)
    end

    local functions = {}
    for _, name in ipairs(names) do
        register_function(name)
        functions[name] = true
    end

    for _, p in ipairs(compat.user_privileges(user)) do
        if not is_allowed(user, p, functions) then
            log.info("MiniToolStream: revoking %s on %s '%s' from '%s'",
                p.priv, p.type, p.name or '', user)
            box.schema.user.revoke(user, p.priv, p.type, p.name, {if_exists = true})
        end
    end

    box.schema.user.grant(user, 'session,usage', 'universe', nil, {if_not_exists = true})
    box.schema.user.grant(user, 'execute', 'role', 'public', {if_not_exists = true})
    for _, name in ipairs(names) do
        box.schema.user.grant(user, 'execute', 'function', name, {if_not_exists = true})
    end
end

-- Whether the application user exists with execute on every public function (on a replica:
-- whether the master's grants have arrived).
function G.present(user, names)
    if not box.schema.user.exists(user) then
        return false
    end
    local granted = {}
    for _, p in ipairs(compat.user_privileges(user)) do
        if p.type == 'function' and p.priv == 'execute' then
            granted[p.name] = true
        end
    end
    for _, name in ipairs(names) do
        if not granted[name] then
            return false
        end
    end
    return true
end

-- The user replicas authenticate as: created (or its password updated) with the built-in
-- `replication` role and nothing else. It must not be the application user, whose
-- privileges are exactly the API.
function G.setup_replication(user, password, app_user)
    if type(user) ~= 'string' or user == '' then
        error('MiniToolStream: the replication user name must be a non-empty string', 0)
    end
    if RESERVED_USERS[user] then
        error(string.format("MiniToolStream: the replication user must not be '%s'", user), 0)
    end
    if user == app_user then
        error(string.format("MiniToolStream: the replication user must differ from the " ..
            "application user '%s'", user), 0)
    end
    if type(password) ~= 'string' or password == '' then
        error('MiniToolStream: the replication user needs a non-empty password', 0)
    end
    if box.schema.role.exists(user) then
        error(string.format("MiniToolStream: '%s' is a role, not a user", user), 0)
    end
    if box.schema.user.exists(user) then
        box.schema.user.passwd(user, password)
    else
        box.schema.user.create(user, {password = password})
        log.info("MiniToolStream: created replication user '%s'", user)
    end
    box.schema.user.grant(user, 'replication', nil, nil, {if_not_exists = true})
end

-- Take everything from guest: the public role (system views, built-in functions) and the
-- session privilege. Authenticated users are unaffected.
function G.lock_guest()
    box.schema.user.revoke('guest', 'execute', 'role', 'public', {if_exists = true})
    box.schema.user.revoke('guest', 'session', 'universe', nil, {if_exists = true})
    for _, p in ipairs(compat.user_privileges('guest')) do
        if not (p.type == 'universe' and p.priv == 'usage') then
            box.schema.user.revoke('guest', p.priv, p.type, p.name, {if_exists = true})
        end
    end
end

return G
