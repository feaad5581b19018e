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
-- Publication time in milliseconds (migration 6); nil on rows written before it ran and not
-- back-filled. create_at (seconds) stays for the seed API.
S.F_CREATE_AT_MS = 9

-- Field numbers of `consumers`.
S.C_DURABLE_NAME = 1
S.C_SUBJECT = 2
S.C_LAST_SEQUENCE = 3

-- Field numbers of `leases` (competing consumers: a message handed to one consumer until
-- its deadline).
S.L_DURABLE_NAME = 1
S.L_SUBJECT = 2
S.L_SEQUENCE = 3
S.L_CONSUMER_ID = 4
S.L_DEADLINE = 5
S.L_DELIVERY_COUNT = 6
S.L_LAST_FAILURE = 7   -- why the last delivery failed (nullable), for the dead-letter reason
S.L_NOT_BEFORE = 8     -- no redelivery before this fiber.time() (nullable): redelivery backoff

-- Field numbers of `acks` (acknowledgements above the durable's floor).
S.A_DURABLE_NAME = 1
S.A_SUBJECT = 2
S.A_SEQUENCE = 3

-- Field numbers of `ordered_owners` (the single active consumer of an ordered durable).
S.O_DURABLE_NAME = 1
S.O_SUBJECT = 2
S.O_CONSUMER_ID = 3
S.O_DEADLINE = 4

-- Field numbers of `message_ids` (idempotent publish: a publish's id -> its record, until
-- expires_at, in milliseconds).
S.I_SUBJECT = 1
S.I_MESSAGE_ID = 2
S.I_SEQUENCE = 3
S.I_OBJECT_NAME = 4
S.I_EXPIRES_AT = 5

-- Field numbers of `position_resets` (how often a durable was moved by reset_position, and
-- where to).
S.R_DURABLE_NAME = 1
S.R_SUBJECT = 2
S.R_RESETS = 3
S.R_POSITION = 4

-- The spaces holding replicated stream state (made synchronous with MTS_SYNC=1).
S.DATA_SPACES = {'message', 'consumers', 'leases', 'acks', 'ordered_owners', 'message_ids', 'position_resets'}

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

-- 4: competing consumers. `consumers.last_sequence` stays the durable's floor (everything of
-- the subject at or below it is acknowledged); above it, `leases` says which consumer holds
-- which message until when, and `acks` records acknowledgements that arrived out of order.
-- `ordered_owners` names the one consumer allowed to consume an ordered durable.
local function add_leases()
    local leases = box.schema.space.create('leases', {
        if_not_exists = true,
        engine = 'memtx',
        format = {
            {name = 'durable_name', type = 'string'},
            {name = 'subject', type = 'string'},
            {name = 'sequence', type = 'unsigned'},
            {name = 'consumer_id', type = 'string'},
            {name = 'deadline', type = 'number'},
            {name = 'delivery_count', type = 'unsigned'},
        },
    })
    leases:create_index('primary', {
        if_not_exists = true, type = 'TREE', unique = true,
        parts = {{field = S.L_DURABLE_NAME, type = 'string'}, {field = S.L_SUBJECT, type = 'string'},
            {field = S.L_SEQUENCE, type = 'unsigned'}},
    })
    -- Expired (and unexpired) leases of a durable by deadline.
    leases:create_index('deadline', {
        if_not_exists = true, type = 'TREE', unique = false,
        parts = {{field = S.L_DURABLE_NAME, type = 'string'}, {field = S.L_SUBJECT, type = 'string'},
            {field = S.L_DEADLINE, type = 'number'}},
    })
    -- A consumer's leases (heartbeats).
    leases:create_index('consumer', {
        if_not_exists = true, type = 'TREE', unique = false,
        parts = {{field = S.L_DURABLE_NAME, type = 'string'}, {field = S.L_SUBJECT, type = 'string'},
            {field = S.L_CONSUMER_ID, type = 'string'}},
    })
    -- Every durable's lease of one message (removed with the message).
    leases:create_index('message', {
        if_not_exists = true, type = 'TREE', unique = false,
        parts = {{field = S.L_SUBJECT, type = 'string'}, {field = S.L_SEQUENCE, type = 'unsigned'}},
    })

    local acks = box.schema.space.create('acks', {
        if_not_exists = true,
        engine = 'memtx',
        format = {
            {name = 'durable_name', type = 'string'},
            {name = 'subject', type = 'string'},
            {name = 'sequence', type = 'unsigned'},
        },
    })
    acks:create_index('primary', {
        if_not_exists = true, type = 'TREE', unique = true,
        parts = {{field = S.A_DURABLE_NAME, type = 'string'}, {field = S.A_SUBJECT, type = 'string'},
            {field = S.A_SEQUENCE, type = 'unsigned'}},
    })
    acks:create_index('message', {
        if_not_exists = true, type = 'TREE', unique = false,
        parts = {{field = S.A_SUBJECT, type = 'string'}, {field = S.A_SEQUENCE, type = 'unsigned'}},
    })

    local owners = box.schema.space.create('ordered_owners', {
        if_not_exists = true,
        engine = 'memtx',
        format = {
            {name = 'durable_name', type = 'string'},
            {name = 'subject', type = 'string'},
            {name = 'consumer_id', type = 'string'},
            {name = 'deadline', type = 'number'},
        },
    })
    owners:create_index('primary', {
        if_not_exists = true, type = 'TREE', unique = true,
        parts = {{field = S.O_DURABLE_NAME, type = 'string'}, {field = S.O_SUBJECT, type = 'string'}},
    })
end

-- 5: find records by payload object, so the orphan sweep can ask which objects no record references.
local function add_object_name_index()
    box.space.message:create_index('object_name', {
        if_not_exists = true, type = 'TREE', unique = false,
        parts = {{field = S.F_OBJECT_NAME, type = 'string', is_nullable = true}},
    })
end

-- 6: idempotent publish and replay by time. `message_ids` remembers each publish's id until
-- its window ends; `message.create_at_ms` (field 9) holds the publication time in
-- milliseconds, indexed with the subject so a start time finds its first message directly;
-- `position_resets` counts each durable's resets so its active consumer notices one.
-- Existing rows get create_at_ms = create_at * 1000, in bounded rounds.
local function add_message_ids_and_millis()
    local space = box.space.message
    local format = space:format()
    if #format < S.F_CREATE_AT_MS then
        for i = #format + 1, S.F_CREATE_AT_MS - 1 do
            format[i] = {name = 'field_' .. i, type = 'any', is_nullable = true}
        end
        format[S.F_CREATE_AT_MS] = {name = 'create_at_ms', type = 'unsigned', is_nullable = true}
        space:format(format)
    end
    local last = nil
    while true do
        local updates = {}
        local scanned = 0
        local key = last == nil and {} or {last}
        for _, t in space.index.primary:pairs(key, {iterator = 'GT'}) do
            last = t[S.F_SEQUENCE]
            scanned = scanned + 1
            if t[S.F_CREATE_AT_MS] == nil then
                table.insert(updates, t)
            end
            if scanned >= BATCH then
                break
            end
        end
        if #updates > 0 then
            compat.atomic(function()
                for _, t in ipairs(updates) do
                    local row = t:totable()
                    for i = #row + 1, S.F_CREATE_AT_MS - 1 do
                        row[i] = box.NULL
                    end
                    row[S.F_CREATE_AT_MS] = t[S.F_CREATE_AT] * 1000
                    space:replace(row)
                end
            end)
        end
        if scanned < BATCH then
            break
        end
        fiber.yield()
    end
    space:create_index('subject_create_at_ms', {
        if_not_exists = true, type = 'TREE', unique = false,
        parts = {{field = S.F_SUBJECT, type = 'string'},
            {field = S.F_CREATE_AT_MS, type = 'unsigned', is_nullable = true}},
    })

    local ids = box.schema.space.create('message_ids', {
        if_not_exists = true,
        engine = 'memtx',
        format = {
            {name = 'subject', type = 'string'},
            {name = 'message_id', type = 'string'},
            {name = 'sequence', type = 'unsigned'},
            {name = 'object_name', type = 'string', is_nullable = true},
            {name = 'expires_at', type = 'number'},
        },
    })
    ids:create_index('primary', {
        if_not_exists = true, type = 'TREE', unique = true,
        parts = {{field = S.I_SUBJECT, type = 'string'}, {field = S.I_MESSAGE_ID, type = 'string'}},
    })
    ids:create_index('expires_at', {
        if_not_exists = true, type = 'TREE', unique = false,
        parts = {{field = S.I_EXPIRES_AT, type = 'number'}},
    })

    local resets = box.schema.space.create('position_resets', {
        if_not_exists = true,
        engine = 'memtx',
        format = {
            {name = 'durable_name', type = 'string'},
            {name = 'subject', type = 'string'},
            {name = 'resets', type = 'unsigned'},
            {name = 'position', type = 'unsigned'},
        },
    })
    resets:create_index('primary', {
        if_not_exists = true, type = 'TREE', unique = true,
        parts = {{field = S.R_DURABLE_NAME, type = 'string'}, {field = S.R_SUBJECT, type = 'string'}},
    })
end

-- 7: delivery bookkeeping that survives restarts and follows a message to another consumer:
-- the last failure and the redelivery backoff deadline of a lease (ordered consumers keep their
-- delivery counts in leases too).
local function add_delivery_failures()
    local format = box.space.leases:format()
    if #format < S.L_NOT_BEFORE then
        table.insert(format, {name = 'last_failure', type = 'string', is_nullable = true})
        table.insert(format, {name = 'not_before', type = 'number', is_nullable = true})
        box.space.leases:format(format)
    end
end

S.MIGRATIONS = {
    create_spaces,
    create_sequence,
    add_inline_payload,
    add_leases,
    add_object_name_index,
    add_message_ids_and_millis,
    add_delivery_failures,
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

-- Make the data spaces synchronous (or not): their transactions then commit only once
-- replication_synchro_quorum instances have them. Returns the names changed.
function S.set_sync(sync)
    local changed = {}
    for _, name in ipairs(S.DATA_SPACES) do
        local space = box.space[name]
        if space ~= nil and compat.space_is_sync(space) ~= sync then
            compat.space_set_sync(space, sync)
            table.insert(changed, name)
        end
    end
    if #changed > 0 then
        log.info('MiniToolStream: spaces %s are now %s', table.concat(changed, ', '),
            sync and 'synchronous' or 'asynchronous')
    end
    return changed
end

return S
