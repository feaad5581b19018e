-- Schema and migrations.
--
-- The schema version is a row in the system space _schema:
--     ['minitoolstream_schema_version', N]
-- (the same place box.once keeps its markers). Migration N runs when the stored version is
-- below N and the row is bumped right after it. Every migration is idempotent and works on a
-- populated database, so a crash between a migration and the bump only re-runs it.

local fiber = require('fiber')
local log = require('log')
local compat = require('minitoolstream.compat')

local S = {}

S.VERSION_KEY = 'minitoolstream_schema_version'
S.SEQUENCE = 'message_sequence'

-- Field numbers of `message` (1-based, as in tuples).
S.F_SEQUENCE = 1
S.F_HEADERS = 2
S.F_OBJECT_NAME = 3
S.F_SUBJECT = 4
S.F_CREATE_AT = 5
S.F_PAYLOAD = 6
S.F_SIZE = 7
S.F_CONTENT_TYPE = 8

-- Field numbers of `consumers`.
S.C_DURABLE_NAME = 1
S.C_SUBJECT = 2
S.C_LAST_SEQUENCE = 3

local MESSAGE_BASE_FORMAT = {
    {name = 'sequence', type = 'unsigned'},
    {name = 'headers', type = 'map'},
    {name = 'object_name', type = 'string', is_nullable = true},
    {name = 'subject', type = 'string'},
    {name = 'create_at', type = 'unsigned'},
}

local MESSAGE_INLINE_FIELDS = {
    {name = 'payload', type = 'any', is_nullable = true},
    {name = 'size', type = 'unsigned', is_nullable = true},
    {name = 'content_type', type = 'string', is_nullable = true},
}

local BATCH = 1000

function S.get_version()
    local row = box.space._schema:get({S.VERSION_KEY})
    if row == nil then
        return 0
    end
    return tonumber(row[2])
end

local function set_version(version)
    box.space._schema:replace({S.VERSION_KEY, version})
end

-- 1: the seed's spaces and indexes (a no-op on a database the seed created).
local function create_spaces()
    local message = box.schema.space.create('message', {
        if_not_exists = true,
        engine = 'memtx',
        format = MESSAGE_BASE_FORMAT,
    })
    message:create_index('primary', {
        if_not_exists = true, type = 'TREE', unique = true,
        parts = {{field = S.F_SEQUENCE, type = 'unsigned'}},
    })
    message:create_index('subject', {
        if_not_exists = true, type = 'TREE', unique = false,
        parts = {{field = S.F_SUBJECT, type = 'string'}},
    })
    message:create_index('subject_sequence', {
        if_not_exists = true, type = 'TREE', unique = true,
        parts = {{field = S.F_SUBJECT, type = 'string'}, {field = S.F_SEQUENCE, type = 'unsigned'}},
    })
    message:create_index('create_at', {
        if_not_exists = true, type = 'TREE', unique = false,
        parts = {{field = S.F_CREATE_AT, type = 'unsigned'}},
    })

    local consumers = box.schema.space.create('consumers', {
        if_not_exists = true,
        engine = 'memtx',
        format = {
            {name = 'durable_name', type = 'string'},
            {name = 'subject', type = 'string'},
            {name = 'last_sequence', type = 'unsigned'},
        },
    })
    consumers:create_index('primary', {
        if_not_exists = true, type = 'TREE', unique = true,
        parts = {{field = S.C_DURABLE_NAME, type = 'string'}, {field = S.C_SUBJECT, type = 'string'}},
    })
    consumers:create_index('subject', {
        if_not_exists = true, type = 'TREE', unique = false,
        parts = {{field = S.C_SUBJECT, type = 'string'}},
    })
end

-- 2: the persistent sequence. On a database written by the seed (which derived numbers
-- from max(primary)) it starts after the highest existing number.
local function create_sequence()
    local seq = box.schema.sequence.create(S.SEQUENCE, {if_not_exists = true, min = 1, start = 1})
    local max = box.space.message.index.primary:max()
    if max ~= nil then
        local highest = max[S.F_SEQUENCE]
        if compat.sequence_current(seq) < highest then
            seq:set(highest)
        end
    end
end

-- 3: inline payloads. Appends payload/size/content_type, makes object_name nullable, and
-- adopts the seed's optional 6th field `data_msgpack` as `payload`. Seed rows that stored
-- inline data with object_name '' get object_name nil, so exactly one of the two is set.
local function add_inline_payload()
    local space = box.space.message
    local old = space:format()
    local new = {}
    for i, field in ipairs(MESSAGE_BASE_FORMAT) do
        new[i] = table.copy(field)
    end
    for i, field in ipairs(MESSAGE_INLINE_FIELDS) do
        new[#MESSAGE_BASE_FORMAT + i] = table.copy(field)
    end
    -- Keep any further fields somebody appended, relaxed to nullable `any`.
    for i = #new + 1, #old do
        new[i] = {name = old[i].name, type = 'any', is_nullable = true}
    end
    space:format(new)

    -- object_name '' -> nil on inline rows: scan in bounded rounds, update in one
    -- transaction per round, yield between rounds.
    local last = nil
    while true do
        local updates = {}
        local scanned = 0
        local key = last == nil and {} or {last}
        for _, t in space.index.primary:pairs(key, {iterator = 'GT'}) do
            last = t[S.F_SEQUENCE]
            scanned = scanned + 1
            if t[S.F_OBJECT_NAME] == '' and t[S.F_PAYLOAD] ~= nil then
                table.insert(updates, last)
            end
            if scanned >= BATCH then
                break
            end
        end
        if #updates > 0 then
            compat.atomic(function()
                for _, sequence in ipairs(updates) do
                    space:update({sequence}, {{'=', S.F_OBJECT_NAME, box.NULL}})
                end
            end)
        end
        if scanned < BATCH then
            break
        end
        fiber.yield()
    end
end

S.MIGRATIONS = {
    create_spaces,
    create_sequence,
    add_inline_payload,
}

S.LATEST = #S.MIGRATIONS

-- Bring the schema to the latest version. Returns the version reached.
function S.migrate()
    local current = S.get_version()
    if current > S.LATEST then
        error(string.format('MiniToolStream: database schema version %d is newer than this ' ..
            'code supports (%d); refusing to start', current, S.LATEST), 0)
    end
    for version = current + 1, S.LATEST do
        log.info('MiniToolStream: applying schema migration %d', version)
        S.MIGRATIONS[version]()
        set_version(version)
    end
    return S.LATEST
end

function S.sequence()
    return box.sequence[S.SEQUENCE]
end

return S
