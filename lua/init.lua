#!/usr/bin/env tarantool
-- MiniToolStream instance script. Configured only by environment:
--
--   MTS_LISTEN            where to listen: 'host:port' or a port (default 3301)
--   MTS_DATA_DIR          WAL, snapshots and work directory (default: current directory)
--   MTS_MEMTX_MEMORY      memtx arena size in bytes (default: Tarantool's)
--   MTS_USER              application user (default 'minitoolstream')
--   MTS_PASSWORD          its password; required unless MTS_DEV=1 (then default 'changeme')
--   MTS_DEV=1             development mode: allows the default password
--   MTS_EXIT_WITH_PARENT=1  exit when the parent process goes away
--
-- Prints 'MiniToolStream ready on <listen>' to stdout once it accepts calls.

local fio = require('fio')
local fiber = require('fiber')

-- Resolve our own directory before box.cfg changes the working directory.
local function script_dir()
    local source = debug.getinfo(1, 'S').source
    local path = source:sub(1, 1) == '@' and source:sub(2) or (arg and arg[0]) or 'init.lua'
    return fio.dirname(fio.abspath(path))
end

local LUA_DIR = script_dir()
package.path = LUA_DIR .. '/?.lua;' .. LUA_DIR .. '/?/init.lua;' .. package.path

local compat = require('minitoolstream.compat')

local function die(message)
    io.stderr:write('MiniToolStream: ', message, '\n')
    io.stderr:flush()
    os.exit(1)
end

local function env(name, default)
    local value = os.getenv(name)
    if value == nil or value == '' then
        return default
    end
    return value
end

local dev = env('MTS_DEV') == '1'

local listen = env('MTS_LISTEN', '3301')
if not (listen:match('^%d+$') or listen:match('^.+:%d+$') or listen:match('^unix/:')) then
    die(string.format("MTS_LISTEN must be 'host:port' or a port, got '%s'", listen))
end

local data_dir = fio.abspath(env('MTS_DATA_DIR', fio.cwd()))
if not fio.path.is_dir(data_dir) then
    if not fio.mktree(data_dir) then
        die(string.format("MTS_DATA_DIR '%s' does not exist and cannot be created", data_dir))
    end
end

local memtx_memory = env('MTS_MEMTX_MEMORY')
if memtx_memory ~= nil then
    if not memtx_memory:match('^%d+$') then
        die(string.format("MTS_MEMTX_MEMORY must be a number of bytes, got '%s'", memtx_memory))
    end
    memtx_memory = tonumber(memtx_memory)
end

local user = env('MTS_USER', 'minitoolstream')
local password = env('MTS_PASSWORD')
if password == nil then
    if not dev then
        die('MTS_PASSWORD is required (set MTS_DEV=1 to use the development default)')
    end
    password = 'changeme'
end

if env('MTS_EXIT_WITH_PARENT') == '1' then
    local parent = compat.getppid()
    fiber.create(function()
        fiber.name('mts-exit-with-parent', {truncate = true})
        while true do
            fiber.sleep(0.5)
            if compat.getppid() ~= parent then
                io.stderr:write('MiniToolStream: parent process exited; stopping\n')
                io.stderr:flush()
                os.exit(0)
            end
        end
    end)
end

local cfg = {
    listen = listen,
    work_dir = data_dir,
    memtx_dir = data_dir,
    wal_dir = data_dir,
    vinyl_dir = data_dir,
    memtx_memory = memtx_memory,
}
local ok, err = pcall(compat.box_cfg, cfg, {vinyl_dir = true})
if not ok then
    die('box.cfg failed: ' .. compat.error_message(err))
end

local started, start_err = pcall(function()
    require('minitoolstream').start({user = user, password = password})
end)
if not started then
    die('start failed: ' .. compat.error_message(start_err))
end

print('MiniToolStream ready on ' .. listen)
io.stdout:flush()
