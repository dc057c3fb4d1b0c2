import type { Hono } from 'hono'
import type { PollServerConfig } from './config.ts'
import type { EventHub } from './events.ts'
import type { JoinOptions, PollAppEnv } from './http.ts'
import type { PollDefinitions } from './poll-definitions.ts'
import type { PollService } from './service.ts'
import type { PollStore } from './store/types.ts'
import { kindOf } from '../polls/kinds/index.ts'
import { loadBlocklist } from './blocklist.ts'
import { createEventHub } from './events.ts'
import { createPollApp } from './http.ts'
import { createStreamCounter } from './limits.ts'
import { createPollService } from './service.ts'
import { createSnapshotWriter } from './snapshot.ts'
import { createSqliteStore } from './store/sqlite.ts'
import { StoreUnavailableError } from './store/unavailable.ts'

export interface PollServer {
  /** The /api routes; mount it in a server or in Vite's dev server. */
  app: Hono<PollAppEnv>
  service: PollService
  store: PollStore
  hub: EventHub
  /** Starts shutting down: /readyz answers 503 from now on, so balancers stop sending requests here. */
  drain: () => void
  /** Ends every event stream, then closes the store. */
  close: () => Promise<void>
}

/** Store, event hub, snapshot file, use cases and API wired together from one configuration. */
export async function createPollServer(config: PollServerConfig, { polls, answers }: PollDefinitions, join?: () => JoinOptions): Promise<PollServer> {
  const store: PollStore = config.storeUrl
    ? await openRedisStore(config.storeUrl)
    : createSqliteStore(config.dbFile)
  const service = createPollService({
    polls,
    answers,
    store,
    snapshot: createSnapshotWriter(config.snapshotFile),
    maxAnswers: config.maxAnswers,
  })
  const hub = createEventHub({
    async pollStatus(pollId, view) {
      const poll = service.pollById(pollId)
      if (!poll)
        throw new Error(`Unknown poll ${pollId}`)
      return service.status(poll, undefined, false, view)
    },
    hasSlideView: (pollId) => {
      const poll = service.pollById(pollId)
      return poll !== undefined && kindOf(poll).shownOnSlide !== undefined
    },
    currentPoll: service.currentPoll,
    // An outage is logged once by the store; the hub retries until the store answers again.
    onError: error => error instanceof StoreUnavailableError || console.error('SSE:', error),
    heartbeatMs: config.heartbeatMs,
    settled: store.settled,
  })
  // The only way news reaches listeners: on Redis this includes changes made through the other servers.
  store.onChange((change) => {
    if (change.kind === 'resync' || change.kind === 'session')
      polls.forEach(poll => hub.stateChanged(poll.id))
    else if (change.kind === 'votes' && service.pollById(change.pollId))
      hub.pollChanged(change.pollId)
    else if (change.kind === 'state' && service.pollById(change.pollId))
      hub.stateChanged(change.pollId)
  })
  let draining = false
  const app = createPollApp({
    service,
    hub,
    token: config.token,
    rateLimits: config.rateLimits,
    streams: createStreamCounter(config.streamLimits),
    blocklist: loadBlocklist(config.blocklistFile),
    join: join ?? { publicUrl: config.publicUrl, host: config.host, port: config.port },
    allowedOrigins: config.allowedOrigins,
    trustProxy: config.trustProxy,
    draining: () => draining,
  })
  return {
    app,
    service,
    store,
    hub,
    drain() {
      draining = true
    },
    async close() {
      hub.close()
      await store.close()
    },
  }
}

/**
 * Redis (ioredis) is loaded only when POLL_STORE asks for it, so a laptop on SQLite runs without it installed, and
 * a missing client says what to do instead of failing at start with a bare module error.
 */
async function openRedisStore(url: string): Promise<PollStore> {
  let redis: typeof import('./store/redis.ts')
  try {
    redis = await import('./store/redis.ts')
  }
  catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String(error).includes('ioredis'))
      throw new Error('POLL_STORE peker på Redis, men Redis-klienten (ioredis) er ikke installert. Kjør «npm ci».')
    throw error
  }
  return redis.createRedisStore(url)
}
