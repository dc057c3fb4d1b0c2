import type { RedisOptions } from 'ioredis'
import type { LuaScript } from './redis-scripts.ts'
import type { PollStateRecord, PollStore, PollTallies, StoreChange } from './types.ts'
import { Redis } from 'ioredis'
import { withoutPassword } from '../redact-url.ts'
import { CLEAR_VOTES, ITEM_SEPARATOR, SET_STATE, VOTE } from './redis-scripts.ts'
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

function parseState(json: string | null | undefined): PollStateRecord {
  return json
    ? JSON.parse(json) as PollStateRecord
    : { ...INITIAL_STATE }
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
  const statesKey = `${prefix}states`
  const votesKey = (pollId: string) => `${prefix}poll:${pollId}:votes`
  const talliesKey = (pollId: string) => `${prefix}poll:${pollId}:tallies`

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
  const emit = (change: StoreChange) => listeners.forEach(listener => notify(listener, change))
  let closed = false
  let reachable = true
  let lastProblem = 'connecting'
  let connecting: { promise: Promise<void>, resolve: () => void } | undefined
  let checkedDurability = false

  function lost(reason: string): void {
    lastProblem = reason
    if (reachable && !closed)
      log.error(`Redis ${withoutPassword(url)} is unavailable (${reason}); the poll API answers 503 until it is back.`)
    reachable = false
  }
  redis.on('error', (error: Error) => lost(error.message))
  redis.on('close', () => lost('connection closed'))
  redis.on('ready', () => {
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
      const parsed = JSON.parse(message) as { kind?: unknown, poll?: unknown }
      if ((parsed.kind !== 'votes' && parsed.kind !== 'state') || typeof parsed.poll !== 'string')
        return
      change = { kind: parsed.kind, pollId: parsed.poll }
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
    let timer: ReturnType<typeof setTimeout> | undefined
    const gaveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreUnavailableError(`Redis ${withoutPassword(url)} is not connected (${lastProblem}).`)), options.connectWaitMs ?? 500)
    })
    try {
      await Promise.race([connecting.promise, gaveUp])
    }
    finally {
      clearTimeout(timer)
    }
  }

  async function call<T>(command: () => Promise<T>): Promise<T> {
    ensureOpen()
    await connected()
    try {
      return await command()
    }
    catch (error) {
      throw toStoreError(error)
    }
  }

  /** EVALSHA, and EVAL when Redis does not know the script (first use, or after a restart or SCRIPT FLUSH). */
  async function run(script: LuaScript, keys: string[], args: string[]): Promise<unknown> {
    return call(async () => {
      try {
        return await redis.evalsha(script.sha, keys.length, ...keys, ...args)
      }
      catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT'))
          throw error
        return await redis.eval(script.lua, keys.length, ...keys, ...args)
      }
    })
  }

  const message = (kind: 'votes' | 'state', pollId: string) => JSON.stringify({ kind, poll: pollId })

  return {
    async vote(pollId, voter, items) {
      const stored = await run(
        VOTE,
        [
          statesKey,
          votesKey(pollId),
          talliesKey(pollId),
        ],
        [
          pollId,
          voter,
          channel,
          message('votes', pollId),
          ...new Set(items),
        ],
      )
      return stored === 1
        ? 'stored'
        : 'closed'
    },

    async clearVotes(pollId) {
      await run(CLEAR_VOTES, [
        votesKey(pollId),
        talliesKey(pollId),
      ], [
        channel,
        message('votes', pollId),
      ])
    },

    async getState(pollId) {
      return parseState(await call(() => redis.hget(statesKey, pollId)))
    },

    async setState(pollId, patch) {
      const revealed = patch.revealed === undefined
        ? ''
        : patch.revealed
          ? '1'
          : '0'
      const json = await run(SET_STATE, [statesKey], [
        pollId,
        patch.state ?? '',
        revealed,
        channel,
        message('state', pollId),
      ])
      return parseState(json as string)
    },

    async allStates() {
      const saved = await call(() => redis.hgetall(statesKey))
      return new Map(Object.entries(saved).map(([pollId, json]) => [
        pollId,
        parseState(json),
      ]))
    },

    async tallies(pollId): Promise<PollTallies> {
      // One transaction: the count of voters and the tallies describe the same moment.
      const replies = await call(() => redis.multi().hlen(votesKey(pollId)).hgetall(talliesKey(pollId)).exec())
      const [voters, counts] = (replies ?? []).map(([error, value]) => {
        if (error)
          throw toStoreError(error)
        return value
      }) as [number, Record<string, string>]
      const tallies: Record<string, number> = {}
      for (const [item, count] of Object.entries(counts))
        tallies[item] = Number(count)
      return { total: voters, tallies }
    },

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
