-- Argument validation for the public API.
--
-- Every checker either returns the (normalised) value or raises a box.error whose message
-- names the argument and the offending value, e.g. "invalid subject '': must not be empty".
--
-- msgpack nil arrives as box.NULL, which is cdata: `box.NULL == nil` is true but
-- `not box.NULL` is false. Hence every nil test here is written `value == nil`.

local compat = require('minitoolstream.compat')

local V = {}

V.MAX_SUBJECT_BYTES = 255
V.MAX_OBJECT_NAME_BYTES = 1024
V.MAX_CONTENT_TYPE_BYTES = 255
V.MAX_LIMIT = 10000
-- Lease and ownership durations (ack_wait_seconds, ttl_seconds): up to one year.
V.MAX_LEASE_SECONDS = 365 * 24 * 3600
-- Headers travel in every record: keep them well inside Tarantool's 1 MB tuple limit.
V.MAX_HEADER_NAME_BYTES = 255
V.MAX_HEADERS_BYTES = 65536

local MAP_MT = {__serialize = 'map'}

-- A Lua table that msgpack always encodes as a map, even when empty.
function V.empty_map()
    return setmetatable({}, MAP_MT)
end

-- Short printable rendering of a value for error messages.
local function show(value)
    if value == nil then
        return 'nil'
    end
    local t = type(value)
    if t == 'string' then
        local s = value
        local truncated = false
        if #s > 64 then
            s = s:sub(1, 64)
            truncated = true
        end
        s = s:gsub('[%z\1-\31\127\\\']', function(c)
            return string.format('\\x%02X', c:byte())
        end)
        return "'" .. s .. "'" .. (truncated and '...' or '')
    elseif t == 'number' or t == 'boolean' then
        return tostring(value)
    elseif compat.is_int64_cdata(value) then
        return (tostring(value):gsub('U?LL$', ''))
    end
    return '(' .. t .. ')'
end
V.show = show

local function fail(name, value, why)
    compat.raise(string.format('invalid %s %s: %s', name, show(value), why))
end
V.fail = fail

local function describe_type(value)
    if value == nil then
        return 'nil'
    end
    if compat.is_int64_cdata(value) then
        return 'number'
    end
    return type(value)
end

-- Subject and durable names: non-empty, at most 255 bytes, no whitespace or control
-- characters (bytes 0x00-0x20 and 0x7F).
local function name_like(value, name)
    if value == nil then
        fail(name, value, 'required')
    end
    if type(value) ~= 'string' then
        fail(name, value, 'must be a string, got ' .. describe_type(value))
    end
    if #value == 0 then
        fail(name, value, 'must not be empty')
    end
    if #value > V.MAX_SUBJECT_BYTES then
        fail(name, value, string.format('must be at most %d bytes, got %d',
            V.MAX_SUBJECT_BYTES, #value))
    end
    if value:find('[%z\1-\32\127]') then
        fail(name, value, 'must not contain whitespace or control characters')
    end
    return value
end

function V.subject(value)
    return name_like(value, 'subject')
end

function V.durable_name(value)
    return name_like(value, 'durable_name')
end

function V.consumer_id(value)
    return name_like(value, 'consumer_id')
end

function V.optional_durable_name(value)
    if value == nil then
        return nil
    end
    return name_like(value, 'durable_name')
end

-- Non-negative integer (Lua number or 64-bit cdata). Returned as a Lua number when it fits
-- in a double exactly, else as the cdata itself.
function V.uint(value, name)
    if value == nil then
        fail(name, value, 'required')
    end
    if type(value) == 'number' then
        if value ~= value or value == math.huge or value == -math.huge then
            fail(name, value, 'must be a finite number')
        end
        if value ~= math.floor(value) then
            fail(name, value, 'must be an integer')
        end
        if value < 0 then
            fail(name, value, 'must not be negative')
        end
        return value
    end
    if compat.is_int64_cdata(value) then
        if value < 0 then
            fail(name, value, 'must not be negative')
        end
        if value <= 2^53 then
            return tonumber(value)
        end
        return value
    end
    fail(name, value, 'must be a non-negative integer, got ' .. type(value))
end

function V.optional_uint(value, name)
    if value == nil then
        return nil
    end
    return V.uint(value, name)
end

-- A duration in seconds: a finite number greater than 0 (fractions allowed), at most
-- MAX_LEASE_SECONDS. Returned as a Lua number.
function V.seconds(value, name)
    if value == nil then
        fail(name, value, 'required')
    end
    if compat.is_int64_cdata(value) then
        value = tonumber(value)
    elseif type(value) ~= 'number' then
        fail(name, value, 'must be a number of seconds, got ' .. describe_type(value))
    end
    if value ~= value or value == math.huge or value == -math.huge then
        fail(name, value, 'must be a finite number')
    end
    if value <= 0 then
        fail(name, value, 'must be greater than 0')
    end
    if value > V.MAX_LEASE_SECONDS then
        fail(name, value, string.format('must be at most %d', V.MAX_LEASE_SECONDS))
    end
    return value
end

-- Batch size: a positive integer, capped at MAX_LIMIT.
function V.limit(value, name)
    local n = V.uint(value, name or 'limit')
    if n == 0 then
        fail(name or 'limit', value, 'must be greater than 0')
    end
    if n > V.MAX_LIMIT then
        return V.MAX_LIMIT
    end
    return tonumber(n)
end

function V.object_name(value)
    if value == nil then
        fail('object_name', value, 'required')
    end
    if type(value) ~= 'string' then
        fail('object_name', value, 'must be a string, got ' .. describe_type(value))
    end
    if #value == 0 then
        fail('object_name', value, 'must not be empty')
    end
    if #value > V.MAX_OBJECT_NAME_BYTES then
        fail('object_name', value, string.format('must be at most %d bytes, got %d',
            V.MAX_OBJECT_NAME_BYTES, #value))
    end
    return value
end

function V.optional_object_name(value)
    if value == nil then
        return nil
    end
    return V.object_name(value)
end

function V.optional_content_type(value)
    if value == nil then
        return nil
    end
    if type(value) ~= 'string' then
        fail('content_type', value, 'must be a string, got ' .. describe_type(value))
    end
    if #value == 0 then
        fail('content_type', value, 'must not be empty')
    end
    if #value > V.MAX_CONTENT_TYPE_BYTES then
        fail('content_type', value, string.format('must be at most %d bytes, got %d',
            V.MAX_CONTENT_TYPE_BYTES, #value))
    end
    if value:find('[%z\1-\31\127]') then
        fail('content_type', value, 'must not contain control characters')
    end
    return value
end

-- Inline payload bytes (may be empty). Returned unchanged (string or varbinary).
function V.optional_payload(value, name)
    if value == nil then
        return nil
    end
    if not compat.is_bytes(value) then
        fail(name or 'payload', value, 'must be binary data, got ' .. describe_type(value))
    end
    return value
end

function V.optional_boolean(value, name)
    if value == nil then
        return false
    end
    if type(value) ~= 'boolean' then
        fail(name, value, 'must be a boolean, got ' .. describe_type(value))
    end
    return value
end

local ARRAY_SERIALIZE = {seq = true, sequence = true, array = true}

-- Headers: nil or a map of string keys to string values. Returns a fresh table that always
-- encodes as a msgpack map (an empty Lua table would otherwise encode as an array).
function V.headers(value)
    local result = V.empty_map()
    if value == nil then
        return result
    end
    if type(value) ~= 'table' then
        fail('headers', value, 'must be a map of strings, got ' .. describe_type(value))
    end
    local mt = getmetatable(value)
    if type(mt) == 'table' and ARRAY_SERIALIZE[mt.__serialize] then
        fail('headers', value, 'must be a map of strings, got an array')
    end
    local total = 0
    for k, v in pairs(value) do
        if type(k) ~= 'string' then
            compat.raise(string.format('invalid headers: key %s must be a string, got %s',
                show(k), describe_type(k)))
        end
        if type(v) ~= 'string' then
            compat.raise(string.format('invalid headers: value of %s must be a string, got %s',
                show(k), describe_type(v)))
        end
        if #k == 0 or #k > V.MAX_HEADER_NAME_BYTES then
            compat.raise(string.format('invalid headers: name %s must be 1 to %d bytes, got %d',
                show(k), V.MAX_HEADER_NAME_BYTES, #k))
        end
        total = total + #k + #v
        if total > V.MAX_HEADERS_BYTES then
            compat.raise(string.format('invalid headers: more than %d bytes of names and values (at %s)',
                V.MAX_HEADERS_BYTES, show(k)))
        end
        result[k] = v
    end
    return result
end

return V
