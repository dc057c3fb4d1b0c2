import type { Hono } from 'hono'
import type { PollServerConfig } from './config.ts'
import type { EventHub } from './events.ts'
import type { JoinOptions, PollAppEnv } from './http.ts'
import type { PollStore } from './store/types.ts'
import { findPoll } from '../polls/catalog.ts'
import { polls } from '../snippets/polls.ts'
import { createEventHub } from './events.ts'
import { createPollApp } from './http.ts'
import { createSnapshotWriter } from './snapshot.ts'
import { currentPollId, readPollStatus } from './status.ts'
import { createRedisStore } from './store/redis.ts'
import { createSqliteStore } from './store/sqlite.ts'
import { StoreUnavailableError } from './store/unavailable.ts'

export interface PollService {
  /** The /api routes; mount it in a server or in Vite's dev server. */
  app: Hono<PollAppEnv>
  store: PollStore
  hub: EventHub
  /** Ends every event stream, then closes the store. */
  close: () => Promise<void>
}

/** Store, event hub, snapshot file and API wired together from one configuration. */
export function createPollService(config: PollServerConfig, join?: () => JoinOptions): PollService {
  const redis = config.storeUrl
    ? createRedisStore(config.storeUrl)
    : undefined
  const store: PollStore = redis ?? createSqliteStore(config.dbFile)
  const hub = createEventHub({
    async pollStatus(pollId) {
      const poll = findPoll(polls, pollId)
      if (!poll)
        throw new Error(`Unknown poll ${pollId}`)
      return readPollStatus(store, poll)
    },
    currentPoll: async () => currentPollId(polls, await store.allStates()),
    // An outage is logged once by the store; the hub retries until the store answers again.
    onError: error => error instanceof StoreUnavailableError || console.error('SSE:', error),
  })
  // Several servers share one Redis: a change made through any of them reaches every server's listeners.
  redis?.onChange((change) => {
    if (change.kind === 'resync')
      polls.forEach(poll => hub.stateChanged(poll.id))
    else if (change.kind === 'votes' && findPoll(polls, change.pollId))
      hub.pollChanged(change.pollId)
    else if (change.kind === 'state' && findPoll(polls, change.pollId))
      hub.stateChanged(change.pollId)
  })
  const app = createPollApp({
    store,
    hub,
    snapshot: createSnapshotWriter(config.snapshotFile),
    token: config.token,
    rateLimits: config.rateLimits,
    join: join ?? { publicUrl: config.publicUrl, host: config.host, port: config.port },
  })
  return {
    app,
    store,
    hub,
    async close() {
      hub.close()
      await store.close()
    },
  }
}
