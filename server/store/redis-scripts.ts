/**
 * The Redis store's writes, each one Lua script that Redis runs atomically: no other client's command runs
 * between its reads and its writes, so nodes voting at the same time cannot lose or double-count a vote.
 * Every script also publishes the change, in the same atomic step, for the other nodes' event hubs.
 *
 * Layout (prefix `samskaping:` by default):
 *   <prefix>states                  hash  poll id → {"state","revealed","openedAt","closedAt"} as JSON
 *   <prefix>poll:<id>:votes         hash  voter id → the vote's tally keys, joined by \x1f
 *   <prefix>poll:<id>:tallies       hash  tally key → number of voters whose vote has it (absent when 0)
 * Tally keys never contain \x1f: option ids are plain, words reject control characters.
 */
import { createHash } from 'node:crypto'

export interface LuaScript {
  lua: string
  sha: string
}

/** Separates a vote's tally keys in the votes hash. */
export const ITEM_SEPARATOR = '\x1F'

function script(lua: string): LuaScript {
  return {
    lua,
    sha: createHash('sha1').update(lua).digest('hex'),
  }
}

/**
 * KEYS: states, votes, tallies. ARGV: poll id, voter, channel, message, tally keys….
 * Returns 1 when stored, 0 when the poll is not open (nothing changes then).
 */
export const VOTE = script(String.raw`
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw or cjson.decode(raw).state ~= 'open' then
  return 0
end
local old = redis.call('HGET', KEYS[2], ARGV[2])
if old then
  for item in string.gmatch(old, '[^\31]+') do
    if redis.call('HINCRBY', KEYS[3], item, -1) <= 0 then
      redis.call('HDEL', KEYS[3], item)
    end
  end
end
local items = {}
for index = 5, #ARGV do
  items[#items + 1] = ARGV[index]
  redis.call('HINCRBY', KEYS[3], ARGV[index], 1)
end
redis.call('HSET', KEYS[2], ARGV[2], table.concat(items, '\31'))
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1
`)

/** KEYS: votes, tallies. ARGV: channel, message. Removes every vote of a poll and its tallies together. */
export const CLEAR_VOTES = script(String.raw`
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1
`)

/**
 * KEYS: states. ARGV: poll id, '' | 'open' | 'closed', '' | '0' | '1' (revealed), channel, message.
 * Opening stamps openedAt and closing stamps closedAt, with Redis's clock so that every node agrees.
 * Returns the new state as JSON.
 */
export const SET_STATE = script(String.raw`
local state, revealed, openedAt, closedAt = 'closed', false, nil, nil
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if raw then
  local saved = cjson.decode(raw)
  state, revealed = saved.state, saved.revealed
  if saved.openedAt ~= cjson.null then openedAt = saved.openedAt end
  if saved.closedAt ~= cjson.null then closedAt = saved.closedAt end
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if ARGV[2] == 'open' and state ~= 'open' then
  state, openedAt = 'open', now
elseif ARGV[2] == 'closed' and state ~= 'closed' then
  state, closedAt = 'closed', now
end
if ARGV[3] ~= '' then
  revealed = ARGV[3] == '1'
end
local function stamp(value)
  if value then return string.format('%.0f', value) end
  return 'null'
end
local encoded = '{"state":"' .. state .. '","revealed":' .. tostring(revealed)
  .. ',"openedAt":' .. stamp(openedAt) .. ',"closedAt":' .. stamp(closedAt) .. '}'
redis.call('HSET', KEYS[1], ARGV[1], encoded)
redis.call('PUBLISH', ARGV[4], ARGV[5])
return encoded
`)
