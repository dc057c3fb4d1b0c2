import type { RedisOptions } from 'ioredis'
import type { LuaScript } from './redis-scripts.ts'
import type { DeleteSessionOutcome, IdeaRecord, ItemRecord, LiftOutcome, PollStateRecord, PollStore, PollTallies, SessionRecord, ShareOutcome, StoreChange } from './types.ts'
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { dateLabel } from '../../polls/format.ts'
import { withoutPassword } from '../redact-url.ts'
import { within } from '../within.ts'
import { createPendingWrites } from './pending-writes.ts'
import { DELETE_SESSION, DISCARD_VOTES, DISCARDED_VOTERS, ENSURE_SESSION, IDEA_WALL, ITEM_SEPARATOR, LIFT_IDEA, READ_TALLIES, RECENT_ITEMS, RESTORE_VOTES, SET_HIDDEN, SET_IDEA_STATE, SET_STATE, SHARE_IDEA, START_SESSION, VOTE } from './redis-scripts.ts'
import { INITIAL_STATE, notify } from './types.ts'
import { StoreUnavailableError } from './unavailable.ts'

export interface RedisStoreOptions {
  /** Put before every key and the channel name, so several decks can share one Redis. */
  prefix?: string
  /** A command without an answer after this long fails (and the API answers 503) instead of hanging. */
  commandTimeoutMs?: number
  /** While not connected (starting, reconnecting), a call waits this long for the connection before failing. */
  connectWaitMs?: number
  log?: Pick<Console, 'error' | 'warn' | 'info'>
}

/** Redis answered, but with a condition that passes (loading, out of memory, cannot persist): retry later. */
const TRANSIENT_REPLY = /^(?:LOADING|BUSY|MISCONF|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|OOM|NOREPLICAS)\b/

function toStoreError(error: unknown): Error {
  const cause = error instanceof Error
    ? error
    : new Error(String(error))
  // Any other error reply is a bug in a command or script, not an outage.
  if (cause.name === 'ReplyError' && !TRANSIENT_REPLY.test(cause.message))
    return cause
  return new StoreUnavailableError(`Redis is unavailable: ${cause.message}`, { cause })
}

/** A poll's state as the store's callers see it (the stored JSON also holds the poll's round). */
function parseState(json: string | null | undefined | false): PollStateRecord {
  if (!json)
    return { ...INITIAL_STATE }
  const { state, revealed, openedAt, closedAt } = JSON.parse(json) as PollStateRecord
  return { state, revealed, openedAt, closedAt }
}

function parseSession(id: string | number, json: string): SessionRecord {
  const { name, startedAt } = JSON.parse(json) as Omit<SessionRecord, 'id'>
  return {
    id: Number(id),
    name,
    startedAt,
  }
}

/**
 * Votes and poll state in Redis, shared by any number of poll servers. Each write is one Lua script that
 * checks, changes and publishes atomically (see redis-scripts.ts); a write resolves only after Redis has
 * answered, which with `appendfsync always` means after the change reached its disk.
 *
 * While Redis is unreachable every call fails with StoreUnavailableError within `connectWaitMs` (a command
 * already sent: within `commandTimeoutMs`): commands are neither queued for later nor retried, because a vote
 * sent again after a newer one would overwrite it. The client reconnects by itself and subscribes again;
 * scripts missing after a Redis restart are sent again (NOSCRIPT).
 */
export function createRedisStore(url: string, options: RedisStoreOptions = {}): PollStore {
  const prefix = options.prefix ?? 'samskaping:'
  const log = options.log ?? console
  const channel = `${prefix}polls`
  // Tags this store's messages, so it can tell its own writes' echo from other servers' news.
  const node = randomUUID()
  const sessionsKey = `${prefix}sessions`
  const currentKey = `${prefix}session:current`

  const connection: RedisOptions = {
    connectionName: 'samskaping-polls',
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: options.commandTimeoutMs ?? 2000,
    connectTimeout: 2000,
    retryStrategy: attempt => Math.min(50 * 2 ** attempt, 1000),
  }
  const redis = new Redis(url, connection)
  // Subscribes on every (re)connect by hand (see below), to know when it is subscribed again.
  const subscriber = new Redis(url, {
    ...connection,
    connectionName: 'samskaping-polls-events',
    autoResubscribe: false,
  })

  const listeners = new Set<(change: StoreChange) => void>()
  const pendingWrites = createPendingWrites()
  const emit = (change: StoreChange) => listeners.forEach(listener => notify(listener, change))
  let closed = false
  let reachable = true
  let lastProblem = 'connecting'
  let connecting: { promise: Promise<void>, resolve: () => void } | undefined
  let checkedDurability = false
  let sessionEnsured: Promise<void> | undefined

  function lost(reason: string): void {
    lastProblem = reason
    if (reachable && !closed)
      log.error(`Redis ${withoutPassword(url)} is unavailable (${reason}); the poll API answers 503 until it is back.`)
    reachable = false
  }
  redis.on('error', (error: Error) => lost(error.message))
  redis.on('close', () => lost('connection closed'))
  redis.on('ready', () => {
    sessionEnsured = undefined
    connecting?.resolve()
    connecting = undefined
    if (!reachable)
      log.info(`Redis ${withoutPassword(url)} is reachable again.`)
    reachable = true
    if (!checkedDurability) {
      checkedDurability = true
      void warnUnlessDurable()
    }
  })

  subscriber.on('error', () => {}) // Reported once by the command connection.
  subscriber.on('ready', () => {
    subscriber.subscribe(channel).then(
      // Whatever was published while this node was not subscribed is in the data: render it again.
      () => emit({ kind: 'resync' }),
      (error: Error) => log.error(`Could not subscribe to ${channel}: ${error.message}`),
    )
  })
  subscriber.on('message', (_channel: string, message: string) => {
    let change: StoreChange
    try {
      const parsed = JSON.parse(message) as { kind?: unknown, poll?: unknown, node?: unknown }
      // This node announced its own writes as they committed (see `changed`): the echo is not news here.
      if (parsed.node === node)
        return
      if (parsed.kind === 'session')
        change = { kind: 'session' }
      else if ((parsed.kind === 'votes' || parsed.kind === 'state') && typeof parsed.poll === 'string')
        change = { kind: parsed.kind, pollId: parsed.poll }
      else
        return
    }
    catch {
      return
    }
    emit(change)
  })

  async function warnUnlessDurable(): Promise<void> {
    try {
      const [, appendonly] = await redis.config('GET', 'appendonly') as string[]
      const [, appendfsync] = await redis.config('GET', 'appendfsync') as string[]
      if (appendonly !== 'yes' || appendfsync !== 'always')
        log.warn(`Redis ${withoutPassword(url)} runs with appendonly ${appendonly}, appendfsync ${appendfsync}: an acknowledged vote can be lost if Redis crashes. Use --appendonly yes --appendfsync always.`)
    }
    catch {
      // CONFIG may be disabled on a managed Redis; its operator vouches for durability then.
    }
  }

  function ensureOpen(): void {
    if (closed)
      throw new StoreUnavailableError('The poll store is closed.')
  }

  /** Resolves when connected; waits a little while connecting, then gives up rather than queueing. */
  async function connected(): Promise<void> {
    if (redis.status === 'ready')
      return
    if (!connecting) {
      let resolve = () => {}
      const promise = new Promise<void>(done => resolve = done)
      connecting = { promise, resolve }
    }
    if (!await within(connecting.promise.then(() => true), options.connectWaitMs ?? 500, false))
      throw new StoreUnavailableError(`Redis ${withoutPassword(url)} is not connected (${lastProblem}).`)
  }

  async function call<T>(command: () => Promise<T>): Promise<T> {
    ensureOpen()
    await connected()
    try {
      await (sessionEnsured ??= ensureSession().catch((error: unknown) => {
        sessionEnsured = undefined
        throw error
      }))
      return await command()
    }
    catch (error) {
      throw toStoreError(error)
    }
  }

  /** EVALSHA, and EVAL when Redis does not know the script (first use, or after a restart or SCRIPT FLUSH). */
  async function evaluate(script: LuaScript, args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(script.sha, 0, prefix, ...args)
    }
    catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT'))
        throw error
      return await redis.eval(script.lua, 0, prefix, ...args)
    }
  }

  function run(script: LuaScript, ...args: (string | number)[]): Promise<unknown> {
    return call(() => evaluate(script, args))
  }

  /**
   * Once per connection: a Redis without sessions gets its first one, holding whatever the store before sessions
   * left there (named after the day its first poll opened).
   */
  async function ensureSession(): Promise<void> {
    if (await redis.exists(currentKey))
      return
    const states = Object.values(await redis.hgetall(`${prefix}states`)).map(json => JSON.parse(json) as PollStateRecord)
    const opened = states.map(state => state.openedAt).filter((at): at is number => typeof at === 'number')
    const startedAt = opened.length > 0
      ? Math.min(...opened)
      : Date.now()
    await evaluate(ENSURE_SESSION, [
      dateLabel(startedAt),
      startedAt,
    ])
  }

  const message = (kind: 'votes' | 'state', pollId: string) => JSON.stringify({ kind, poll: pollId, node })
  const sessionMessage = JSON.stringify({ kind: 'session', node })
  /**
   * This node's own write, announced to its listeners the moment Redis has it, before the caller answers: a request
   * that follows the answer sees it. Other nodes hear of it through the channel.
   */
  function changed<T>(outcome: T, change: StoreChange | undefined): T {
    if (change)
      emit(change)
    return outcome
  }
  const votesOf = (pollId: string): StoreChange => ({ kind: 'votes', pollId })
  const currentSessionId = async () => Number(await call(() => redis.get(currentKey)))

  return {
    // Tracked with their announcement, so that `settled` is over only once listeners were told.
    vote(pollId, voter, items, limits) {
      return pendingWrites.track(run(
        VOTE,
        pollId,
        voter,
        channel,
        message('votes', pollId),
        limits?.maxDistinct ?? '',
        ...new Set(items),
      ).then(outcome => changed(outcome === 1
        ? 'stored'
        : outcome === 2
          ? 'full'
          : 'closed', outcome === 1
        ? votesOf(pollId)
        : undefined)))
    },

    shareIdea(pollId, voter, idea, state, limits) {
      return pendingWrites.track(run(SHARE_IDEA, pollId, voter, idea.key, idea.text, state, limits?.maxDistinct ?? '', channel, message('votes', pollId)).then((json) => {
        const shared = JSON.parse(json as string) as ShareOutcome
        return changed(shared, 'idea' in shared
          ? votesOf(pollId)
          : undefined)
      }))
    },

    liftIdea(pollId, ideaId, voter, lifted) {
      return pendingWrites.track(run(LIFT_IDEA, pollId, ideaId, voter, lifted ? '1' : '0', channel, message('votes', pollId)).then(outcome => changed(outcome as LiftOutcome, outcome === 'lifted' || outcome === 'withdrawn'
        ? votesOf(pollId)
        : undefined)))
    },

    async setIdeaState(pollId, ideaId, state) {
      const json = await run(SET_IDEA_STATE, pollId, ideaId, state, channel, message('votes', pollId))
      return json
        ? changed(JSON.parse(json as string) as IdeaRecord, votesOf(pollId))
        : undefined
    },

    async ideaWall(pollId, { session, states }) {
      const [ideas, people, discarded] = await run(IDEA_WALL, pollId, session ?? '') as [string[], number, number]
      const all = ideas.map(json => JSON.parse(json) as IdeaRecord).sort((a, b) => b.lifts - a.lifts || a.id - b.id)
      return {
        ideas: all.filter(idea => states.includes(idea.state)),
        people,
        pending: all.filter(idea => idea.state === 'pending').length,
        discarded,
      }
    },

    async discardVotes(pollId) {
      const discarded = await run(DISCARD_VOTES, pollId, channel, message('votes', pollId))
      changed(undefined, discarded === 1
        ? votesOf(pollId)
        : undefined)
    },

    async restoreVotes(pollId) {
      const restored = Number(await run(RESTORE_VOTES, pollId, channel, message('votes', pollId)))
      return changed(restored, restored > 0
        ? votesOf(pollId)
        : undefined)
    },

    async discardedVoters(pollId) {
      return Number(await run(DISCARDED_VOTERS, pollId))
    },

    async getState(pollId, session) {
      const sid = session ?? await currentSessionId()
      return parseState(await call(() => redis.hget(`${prefix}s:${sid}:states`, pollId)))
    },

    async setState(pollId, patch) {
      const revealed = patch.revealed === undefined
        ? ''
        : patch.revealed
          ? '1'
          : '0'
      const json = await run(SET_STATE, pollId, patch.state ?? '', revealed, channel, message('state', pollId))
      return changed(parseState(json as string), { kind: 'state', pollId })
    },

    async allStates(session) {
      const sid = session ?? await currentSessionId()
      const saved = await call(() => redis.hgetall(`${prefix}s:${sid}:states`))
      return new Map(Object.entries(saved).map(([pollId, json]) => [
        pollId,
        parseState(json),
      ]))
    },

    async tallies(pollId, query = {}): Promise<PollTallies> {
      // One script: the count of voters and the tallies describe the same moment.
      const [, voters, distinct, ranked] = await run(READ_TALLIES, pollId, query.session ?? '', query.limit ?? '') as [unknown, number, number, string[]]
      const tallies: Record<string, number> = {}
      for (let index = 0; index < ranked.length; index += 2)
        tallies[ranked[index]!] = Number(ranked[index + 1])
      return { total: voters, tallies, distinct }
    },

    async setHidden(pollId, item, hidden) {
      await run(SET_HIDDEN, pollId, item, hidden ? '1' : '0', channel, message('votes', pollId))
      changed(undefined, votesOf(pollId))
    },

    async recentItems(pollId, limit): Promise<ItemRecord[]> {
      const flat = await run(RECENT_ITEMS, pollId, limit) as string[]
      const items: ItemRecord[] = []
      for (let index = 0; index < flat.length; index += 3) {
        items.push({
          item: flat[index]!,
          votes: Number(flat[index + 1]),
          hidden: flat[index + 2] === '1',
        })
      }
      return items
    },

    async currentSession() {
      const sid = await currentSessionId()
      const json = await call(() => redis.hget(sessionsKey, String(sid)))
      return parseSession(sid, json!)
    },

    async sessions() {
      const saved = await call(() => redis.hgetall(sessionsKey))
      return Object.entries(saved).map(([id, json]) => parseSession(id, json)).sort((a, b) => a.id - b.id)
    },

    async startSession(name) {
      const json = await run(START_SESSION, name, channel, sessionMessage) as string
      const { id, ...rest } = JSON.parse(json) as SessionRecord
      return changed(parseSession(id, JSON.stringify(rest)), { kind: 'session' })
    },

    async deleteSession(id) {
      const outcome = await run(DELETE_SESSION, id, channel, sessionMessage) as DeleteSessionOutcome
      return changed(outcome, outcome === 'deleted'
        ? { kind: 'session' }
        : undefined)
    },

    settled: pendingWrites.settled,

    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },

    async close() {
      if (closed)
        return
      closed = true
      listeners.clear()
      await Promise.all([redis, subscriber].map(client => Promise.race([
        client.quit().catch(() => {}),
        new Promise(resolve => setTimeout(resolve, 1000)),
      ]).finally(() => client.disconnect())))
    },
  }
}

/** The items of a vote as the votes hash stores them (for tests and tools reading Redis directly). */
export function parseStoredItems(value: string): string[] {
  return value === ''
    ? []
    : value.split(ITEM_SEPARATOR)
}
