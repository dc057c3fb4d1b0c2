/**
 * The Redis store's commands, each one Lua script that Redis runs atomically: no other client's command runs
 * between its reads and its writes, so nodes voting at the same time cannot lose or double-count a vote, and a
 * new session or a reset cannot fall between a vote's check and its write. Every write also publishes the change,
 * in the same atomic step, for the other nodes' event hubs.
 *
 * Layout (prefix `samskaping:` by default; <s> a session id, <r> a poll's round in it):
 *   <prefix>session:current                  string  the current session's id (the newest)
 *   <prefix>session:seq                      string  the last session id given out
 *   <prefix>sessions                         hash    session id → {"name","startedAt"} as JSON
 *   <prefix>seq                              string  a counter ordering first appearances of tally keys
 *   <prefix>s:<s>:states                     hash    poll id → {"state","revealed","openedAt","closedAt","round"}
 *   <prefix>s:<s>:poll:<id>:r<r>:votes       hash    voter id → the vote's tally keys, joined by \x1f
 *   <prefix>s:<s>:poll:<id>:r<r>:tallies     zset    tally key → number of voters whose vote has it (absent at 0)
 *   <prefix>s:<s>:poll:<id>:r<r>:order       zset    tally key → when it (last) appeared, for moderation
 *   <prefix>s:<s>:poll:<id>:hidden           set     tally keys the presenter hid
 *   <prefix>idea:seq                         string  the last idea id given out
 *   <prefix>s:<s>:poll:<id>:r<r>:ideas       hash    idea id → {"text","key","state"} as JSON
 *   <prefix>s:<s>:poll:<id>:r<r>:idea-keys   hash    idea key (normalised text) → idea id: equal ideas are one
 *   <prefix>s:<s>:poll:<id>:r<r>:idea-lifts  zset    idea id → lifts
 *   <prefix>s:<s>:poll:<id>:r<r>:lifters:<i> set     voters who lift idea <i>: one lift per voter and idea
 *   <prefix>s:<s>:poll:<id>:r<r>:people      hash    voter → how many ideas they lift (absent at 0)
 * «Nullstill» raises a poll's round; the hashes of earlier rounds are the discarded votes, kept until restored or
 * until their session is deleted. Keys are built inside the scripts from the current session, so the store needs
 * a single Redis (not Redis Cluster). Tally keys never contain \x1f: option ids are plain, words reject control
 * characters.
 *
 * Before sessions (the layout of the first Redis store): <prefix>states, <prefix>poll:<id>:votes and
 * <prefix>poll:<id>:tallies (a hash). MIGRATE moves them into session 1.
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

/** Shared by the scripts: where the current session's keys are, and a poll's state in it. */
const PREAMBLE = String.raw`
local prefix = ARGV[1]
local function session_keys(sid)
  return prefix .. 's:' .. sid .. ':'
end
local function current_session()
  return redis.call('GET', prefix .. 'session:current')
end
local function read_state(sk, poll)
  local raw = redis.call('HGET', sk .. 'states', poll)
  if not raw then
    return { state = 'closed', revealed = false, openedAt = cjson.null, closedAt = cjson.null, round = 0 }
  end
  local state = cjson.decode(raw)
  state.round = state.round or 0
  return state
end
-- The current session's keys and a poll's state there; nothing when there is no session (a Redis emptied under us).
local function current_poll(poll)
  local sid = current_session()
  if not sid then return nil end
  local sk = session_keys(sid)
  return sk, read_state(sk, poll)
end
local function stamp(value)
  if value and value ~= cjson.null then return string.format('%.0f', value) end
  return 'null'
end
local function encode_state(s)
  return '{"state":"' .. s.state .. '","revealed":' .. tostring(s.revealed)
    .. ',"openedAt":' .. stamp(s.openedAt) .. ',"closedAt":' .. stamp(s.closedAt) .. ',"round":' .. string.format('%d', s.round) .. '}'
end
local function round_keys(sk, poll, round)
  local base = sk .. 'poll:' .. poll .. ':r' .. string.format('%d', round) .. ':'
  return base .. 'votes', base .. 'tallies', base .. 'order'
end
local function idea_keys(sk, poll, round)
  local base = sk .. 'poll:' .. poll .. ':r' .. string.format('%d', round) .. ':'
  return base .. 'ideas', base .. 'idea-keys', base .. 'idea-lifts', base .. 'lifters:', base .. 'people'
end
local function add_lift(round_ideas, id, voter)
  local _, _, lifts, lifters, people = unpack(round_ideas)
  if redis.call('SADD', lifters .. id, voter) == 0 then return false end
  redis.call('ZINCRBY', lifts, 1, id)
  redis.call('HINCRBY', people, voter, 1)
  return true
end
local function remove_lift(round_ideas, id, voter)
  local _, _, lifts, lifters, people = unpack(round_ideas)
  if redis.call('SREM', lifters .. id, voter) == 0 then return false end
  redis.call('ZINCRBY', lifts, -1, id)
  if redis.call('HINCRBY', people, voter, -1) <= 0 then redis.call('HDEL', people, voter) end
  return true
end
local function idea_json(round_ideas, id)
  local ideas, _, lifts = unpack(round_ideas)
  local raw = redis.call('HGET', ideas, id)
  if not raw then return nil end
  local idea = cjson.decode(raw)
  return cjson.encode({ id = tonumber(id), text = idea.text, state = idea.state, lifts = tonumber(redis.call('ZSCORE', lifts, id) or '0') })
end
-- Calls fn(voter, value, round) once per voter, for their newest set-aside vote, unless the current round has one.
local function each_set_aside(sk, poll, round, votes, fn)
  local seen = {}
  for old = round - 1, 0, -1 do
    local stored = redis.call('HGETALL', (round_keys(sk, poll, old)))
    for index = 1, #stored, 2 do
      local voter = stored[index]
      if not seen[voter] and redis.call('HEXISTS', votes, voter) == 0 then
        seen[voter] = true
        fn(voter, stored[index + 1], old)
      end
    end
  end
end
-- Calls fn(id, raw, idea, old) once per idea key, for its newest set-aside idea, unless the current round has that idea.
local function each_set_aside_idea(sk, poll, round, current, fn)
  local seen = {}
  for r = round - 1, 0, -1 do
    local old = { idea_keys(sk, poll, r) }
    local stored = redis.call('HGETALL', old[1])
    for index = 1, #stored, 2 do
      local idea = cjson.decode(stored[index + 1])
      if not seen[idea.key] and redis.call('HEXISTS', current[2], idea.key) == 0 then
        seen[idea.key] = true
        fn(stored[index], stored[index + 1], idea, old)
      end
    end
  end
end
local function split(value)
  local items = {}
  if value then
    for item in string.gmatch(value, '[^\31]+') do items[#items + 1] = item end
  end
  return items
end
local function uncount(tallies, order, items)
  for _, item in ipairs(items) do
    if tonumber(redis.call('ZINCRBY', tallies, -1, item)) <= 0 then
      redis.call('ZREM', tallies, item)
      redis.call('ZREM', order, item)
    end
  end
end
local function count(tallies, order, items)
  for _, item in ipairs(items) do
    if tonumber(redis.call('ZINCRBY', tallies, 1, item)) == 1 then
      redis.call('ZADD', order, redis.call('INCR', prefix .. 'seq'), item)
    end
  end
end
`

/**
 * ARGV: prefix, poll id, voter, channel, message, max distinct keys ('' for no cap), tally keys….
 * Returns 1 when stored, 0 when the poll is not open, 2 when the poll has no room for another key (nothing changes
 * then).
 */
export const VOTE = script(`${PREAMBLE}
local sk, state = current_poll(ARGV[2])
if not sk or state.state ~= 'open' then return 0 end
local votes, tallies, order = round_keys(sk, ARGV[2], state.round)
local old = split(redis.call('HGET', votes, ARGV[3]))
if ARGV[6] ~= '' then
  local had = {}
  for _, item in ipairs(old) do had[item] = true end
  local added = 0
  for index = 7, #ARGV do
    if not had[ARGV[index]] and not redis.call('ZSCORE', tallies, ARGV[index]) then added = added + 1 end
  end
  if added > 0 and redis.call('ZCARD', tallies) + added > tonumber(ARGV[6]) then return 2 end
end
uncount(tallies, order, old)
local items = {}
for index = 7, #ARGV do items[#items + 1] = ARGV[index] end
count(tallies, order, items)
redis.call('HSET', votes, ARGV[3], table.concat(items, '\\31'))
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1
`)

/** ARGV: prefix, poll id, channel, message. Starts the poll's next round (its votes are kept) and hides a quiz's answer. */
export const DISCARD_VOTES = script(`${PREAMBLE}
local sk, state = current_poll(ARGV[2])
if not sk then return 0 end
if redis.call('HEXISTS', sk .. 'states', ARGV[2]) == 0 then return 0 end
state.round = state.round + 1
state.revealed = false
redis.call('HSET', sk .. 'states', ARGV[2], encode_state(state))
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1
`)

/**
 * ARGV: prefix, poll id, channel, message. Brings each voter's newest discarded vote back into the current round,
 * unless the voter has voted in it. Returns how many votes came back.
 */
export const RESTORE_VOTES = script(`${PREAMBLE}
local sk, state = current_poll(ARGV[2])
if not sk then return 0 end
local votes, tallies, order = round_keys(sk, ARGV[2], state.round)
local restored = 0
each_set_aside(sk, ARGV[2], state.round, votes, function(voter, value, round)
  local old_votes, old_tallies, old_order = round_keys(sk, ARGV[2], round)
  local items = split(value)
  uncount(old_tallies, old_order, items)
  redis.call('HDEL', old_votes, voter)
  count(tallies, order, items)
  redis.call('HSET', votes, voter, value)
  restored = restored + 1
end)
-- An idea comes back with its lifts, unless the same idea was shared again since.
local current = { idea_keys(sk, ARGV[2], state.round) }
each_set_aside_idea(sk, ARGV[2], state.round, current, function(id, raw, idea, old)
  redis.call('HSET', current[1], id, raw)
  redis.call('HSET', current[2], idea.key, id)
  for _, voter in ipairs(redis.call('SMEMBERS', old[4] .. id)) do
    add_lift(current, id, voter)
    remove_lift(old, id, voter)
  end
  redis.call('ZADD', current[3], 'INCR', 0, id)
  redis.call('HDEL', old[1], id)
  redis.call('HDEL', old[2], idea.key)
  redis.call('ZREM', old[3], id)
  restored = restored + 1
end)
if restored > 0 then redis.call('PUBLISH', ARGV[3], ARGV[4]) end
return restored
`)

/** ARGV: prefix, poll id. Voters whose discarded votes RESTORE_VOTES would bring back. */
export const DISCARDED_VOTERS = script(`${PREAMBLE}
local sk, state = current_poll(ARGV[2])
if not sk then return 0 end
local votes = round_keys(sk, ARGV[2], state.round)
local found = 0
each_set_aside(sk, ARGV[2], state.round, votes, function() found = found + 1 end)
return found
`)

/** ARGV: prefix, poll id, session id ('' for the current one). The idea wall: every idea, people, set-aside ideas. */
export const IDEA_WALL = script(`${PREAMBLE}
local sid = ARGV[3]
if sid == '' then sid = current_session() end
local sk = session_keys(sid)
local state = read_state(sk, ARGV[2])
local wall = { idea_keys(sk, ARGV[2], state.round) }
local ideas = {}
for _, id in ipairs(redis.call('HKEYS', wall[1])) do ideas[#ideas + 1] = idea_json(wall, id) end
local discarded = 0
each_set_aside_idea(sk, ARGV[2], state.round, wall, function() discarded = discarded + 1 end)
return { ideas, redis.call('HLEN', wall[5]), discarded }
`)

/**
 * ARGV: prefix, poll id, voter, key, text, 'pending' | 'approved', max ideas ('' for no cap), channel, message.
 * Returns {"outcome","idea"} as JSON: a new idea its author lifts, or the voter's lift for the same idea already there.
 */
export const SHARE_IDEA = script(`${PREAMBLE}
local sk, state = current_poll(ARGV[2])
if not sk or state.state ~= 'open' then return '{"outcome":"closed"}' end
local wall = { idea_keys(sk, ARGV[2], state.round) }
local id = redis.call('HGET', wall[2], ARGV[4])
local outcome = 'joined'
if not id then
  if ARGV[7] ~= '' and redis.call('HLEN', wall[1]) >= tonumber(ARGV[7]) then return '{"outcome":"full"}' end
  id = tostring(redis.call('INCR', prefix .. 'idea:seq'))
  redis.call('HSET', wall[1], id, cjson.encode({ text = ARGV[5], key = ARGV[4], state = ARGV[6] }))
  redis.call('HSET', wall[2], ARGV[4], id)
  redis.call('ZADD', wall[3], 0, id)
  outcome = 'shared'
end
add_lift(wall, id, ARGV[3])
redis.call('PUBLISH', ARGV[8], ARGV[9])
return '{"outcome":"' .. outcome .. '","idea":' .. idea_json(wall, id) .. '}'
`)

/**
 * ARGV: prefix, poll id, idea id, voter, '1' lift | '0' withdraw, channel, message. Returns 'lifted', 'already',
 * 'withdrawn', 'not-lifted', 'unknown' (no such approved idea) or 'closed'.
 */
export const LIFT_IDEA = script(`${PREAMBLE}
local sk, state = current_poll(ARGV[2])
if not sk or state.state ~= 'open' then return 'closed' end
local wall = { idea_keys(sk, ARGV[2], state.round) }
local raw = redis.call('HGET', wall[1], ARGV[3])
if not raw or cjson.decode(raw).state ~= 'approved' then return 'unknown' end
local outcome
if ARGV[5] == '1' then
  outcome = add_lift(wall, ARGV[3], ARGV[4]) and 'lifted' or 'already'
else
  outcome = remove_lift(wall, ARGV[3], ARGV[4]) and 'withdrawn' or 'not-lifted'
end
if outcome == 'lifted' or outcome == 'withdrawn' then redis.call('PUBLISH', ARGV[6], ARGV[7]) end
return outcome
`)

/** ARGV: prefix, poll id, idea id, state, channel, message. Returns the idea as JSON, or false when there is none. */
export const SET_IDEA_STATE = script(`${PREAMBLE}
local sk = session_keys(current_session())
local state = read_state(sk, ARGV[2])
local wall = { idea_keys(sk, ARGV[2], state.round) }
local raw = redis.call('HGET', wall[1], ARGV[3])
if not raw then return false end
local idea = cjson.decode(raw)
idea.state = ARGV[4]
redis.call('HSET', wall[1], ARGV[3], cjson.encode(idea))
redis.call('PUBLISH', ARGV[5], ARGV[6])
return idea_json(wall, ARGV[3])
`)

/**
 * ARGV: prefix, poll id, '' | 'open' | 'closed', '' | '0' | '1' (revealed), channel, message.
 * Opening stamps openedAt and closing stamps closedAt, with Redis's clock so that every node agrees.
 * Returns the new state as JSON.
 */
export const SET_STATE = script(`${PREAMBLE}
local sk = session_keys(current_session())
local state = read_state(sk, ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if ARGV[3] == 'open' and state.state ~= 'open' then
  state.state, state.openedAt = 'open', now
elseif ARGV[3] == 'closed' and state.state ~= 'closed' then
  state.state, state.closedAt = 'closed', now
end
if ARGV[4] ~= '' then
  state.revealed = ARGV[4] == '1'
end
local encoded = encode_state(state)
redis.call('HSET', sk .. 'states', ARGV[2], encoded)
redis.call('PUBLISH', ARGV[5], ARGV[6])
return encoded
`)

/**
 * ARGV: prefix, poll id, session id ('' for the current one), limit ('' for all). Returns the state JSON (or false),
 * the number of voters, the number of distinct keys and the top keys with their votes, hidden keys left out: one
 * consistent reading.
 */
export const READ_TALLIES = script(`${PREAMBLE}
local sid = ARGV[3]
if sid == '' then sid = current_session() end
local sk = session_keys(sid)
local raw = redis.call('HGET', sk .. 'states', ARGV[2])
local state = read_state(sk, ARGV[2])
local votes, tallies = round_keys(sk, ARGV[2], state.round)
local hidden = sk .. 'poll:' .. ARGV[2] .. ':hidden'
local limit = tonumber(ARGV[4]) or -1
local ranked = {}
local start, batch = 0, 200
while limit < 0 or #ranked < limit * 2 do
  local page = redis.call('ZREVRANGE', tallies, start, start + batch - 1, 'WITHSCORES')
  if #page == 0 then break end
  for index = 1, #page, 2 do
    if (limit < 0 or #ranked < limit * 2) and redis.call('SISMEMBER', hidden, page[index]) == 0 then
      ranked[#ranked + 1] = page[index]
      ranked[#ranked + 1] = page[index + 1]
    end
  end
  start = start + batch
end
return { raw or false, redis.call('HLEN', votes), redis.call('ZCARD', tallies), ranked }
`)

/** ARGV: prefix, poll id, limit. The keys of the current round, newest first: key, votes, hidden ('1' or '0'). */
export const RECENT_ITEMS = script(`${PREAMBLE}
local sk = session_keys(current_session())
local state = read_state(sk, ARGV[2])
local _, tallies, order = round_keys(sk, ARGV[2], state.round)
local hidden = sk .. 'poll:' .. ARGV[2] .. ':hidden'
local result = {}
for _, item in ipairs(redis.call('ZREVRANGE', order, 0, tonumber(ARGV[3]) - 1)) do
  result[#result + 1] = item
  result[#result + 1] = redis.call('ZSCORE', tallies, item) or '0'
  result[#result + 1] = tostring(redis.call('SISMEMBER', hidden, item))
end
return result
`)

/** ARGV: prefix, poll id, tally key, '1' hide | '0' show, channel, message. */
export const SET_HIDDEN = script(`${PREAMBLE}
local hidden = session_keys(current_session()) .. 'poll:' .. ARGV[2] .. ':hidden'
if ARGV[4] == '1' then
  redis.call('SADD', hidden, ARGV[3])
else
  redis.call('SREM', hidden, ARGV[3])
end
redis.call('PUBLISH', ARGV[5], ARGV[6])
return 1
`)

/** ARGV: prefix, name, channel, message. Returns the new session as {id, name, startedAt} JSON. */
export const START_SESSION = script(`${PREAMBLE}
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local sid = redis.call('INCR', prefix .. 'session:seq')
local record = cjson.encode({ name = ARGV[2], startedAt = now })
redis.call('HSET', prefix .. 'sessions', sid, record)
redis.call('SET', prefix .. 'session:current', sid)
redis.call('PUBLISH', ARGV[3], ARGV[4])
return '{"id":' .. sid .. ',' .. string.sub(record, 2)
`)

/** ARGV: prefix, session id, channel, message. Returns 'deleted', 'current' or 'unknown'. */
export const DELETE_SESSION = script(`${PREAMBLE}
if redis.call('HEXISTS', prefix .. 'sessions', ARGV[2]) == 0 then return 'unknown' end
if current_session() == ARGV[2] then return 'current' end
local sk = session_keys(ARGV[2])
local states = redis.call('HGETALL', sk .. 'states')
for index = 1, #states, 2 do
  local poll, state = states[index], cjson.decode(states[index + 1])
  for round = 0, state.round or 0 do
    redis.call('DEL', round_keys(sk, poll, round))
    local wall = { idea_keys(sk, poll, round) }
    for _, id in ipairs(redis.call('HKEYS', wall[1])) do redis.call('DEL', wall[4] .. id) end
    redis.call('DEL', wall[1], wall[2], wall[3], wall[5])
  end
  redis.call('DEL', sk .. 'poll:' .. poll .. ':hidden')
end
redis.call('DEL', sk .. 'states')
redis.call('HDEL', prefix .. 'sessions', ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 'deleted'
`)

/**
 * ARGV: prefix, name, startedAt (ms). Makes sure there is a current session: nothing when there is one; otherwise
 * moves the layout from before sessions (if any) into session 1 under the given name, or starts session 1 empty.
 * Safe when several servers start at once: the first one does the work. Returns 1 when it changed anything.
 */
export const ENSURE_SESSION = script(`${PREAMBLE}
if current_session() then return 0 end
local sid = redis.call('INCR', prefix .. 'session:seq')
redis.call('HSET', prefix .. 'sessions', sid, cjson.encode({ name = ARGV[2], startedAt = tonumber(ARGV[3]) }))
redis.call('SET', prefix .. 'session:current', sid)
local sk = session_keys(sid)
local old_states = prefix .. 'states'
local states = redis.call('HGETALL', old_states)
for index = 1, #states, 2 do
  local poll, state = states[index], cjson.decode(states[index + 1])
  state.round = 0
  redis.call('HSET', sk .. 'states', poll, encode_state(state))
  local votes, tallies, order = round_keys(sk, poll, 0)
  local old_votes, old_tallies = prefix .. 'poll:' .. poll .. ':votes', prefix .. 'poll:' .. poll .. ':tallies'
  if redis.call('EXISTS', old_votes) == 1 then redis.call('RENAME', old_votes, votes) end
  local counts = redis.call('HGETALL', old_tallies)
  for at = 1, #counts, 2 do
    if tonumber(counts[at + 1]) > 0 then
      redis.call('ZADD', tallies, counts[at + 1], counts[at])
      redis.call('ZADD', order, redis.call('INCR', prefix .. 'seq'), counts[at])
    end
  end
  redis.call('DEL', old_tallies)
end
redis.call('DEL', old_states)
return 1
`)
