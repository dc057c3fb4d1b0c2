/**
 * Fault: SSE clients dropped and reconnected, for each store. Listeners that leave and come back while votes
 * keep coming, and listeners whose server was killed and restarted, must each get the current tallies as the
 * first event after reconnecting, without waiting for the next vote.
 */
import type { PollStatus } from '../../polls/types.ts'
import type { PollServer } from '../../tools/poll-server-process.ts'
import type { RedisServer } from '../../tools/redis-process.ts'
import type { SseStream } from './sse.ts'
import process from 'node:process'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startPollServer } from '../../tools/poll-server-process.ts'
import { startRedis } from '../../tools/redis-process.ts'
import { inParallel, pollStatus, postVote, setPollState } from './poll-http.ts'
import { openSse } from './sse.ts'

/** «At once»: the first event must arrive within this long of connecting, on a busy 2-core machine. */
const AT_ONCE_MS = 1000
let redis: RedisServer
const servers: PollServer[] = []
const streams: SseStream[] = []

beforeAll(async () => {
  redis = await startRedis()
})

afterEach(() => {
  for (const stream of streams.splice(0))
    stream.close()
})

afterAll(async () => {
  for (const server of servers)
    await server.stop()
  await redis?.remove()
})

async function listen(server: PollServer): Promise<SseStream> {
  const stream = await openSse(`${server.url}/api/polls/skala/events`)
  streams.push(stream)
  return stream
}

/** Connects, and returns the first tally with how long it took from the request. */
async function reconnect(server: PollServer): Promise<{ stream: SseStream, first: PollStatus, ms: number }> {
  const started = performance.now()
  const stream = await listen(server)
  const event = await stream.next(candidate => candidate.event === 'tally', { timeoutMs: 5000 })
  return {
    stream,
    first: JSON.parse(event.data) as PollStatus,
    ms: event.receivedAt - started,
  }
}

async function voteMany(server: PollServer, prefix: string, count: number): Promise<void> {
  await inParallel(Array.from({ length: count }, (_, index) => index), 10, async (index) => {
    const response = await postVote(server, 'skala', `${prefix}-${index}`, 1 + (index % 5))
    expect(response.status).toBe(201)
  })
}

const stores = [
  {
    name: 'SQLite',
    env: () => ({}),
  },
  {
    name: 'Redis',
    env: () => ({ POLL_STORE: `${redis.url}/2` }),
  },
]

describe.each(stores)('sSE clients dropped and reconnected ($name)', (store) => {
  const env = () => ({
    ...store.env(),
    POLL_RATE_LIMITS: 'off',
  })

  it('gives every reconnecting client the current tallies at once', async () => {
    const server = await startPollServer({
      env: env(),
    })
    servers.push(server)
    await setPollState(server, 'skala', { state: 'open' })
    const listeners = await Promise.all(Array.from({ length: 6 }, () => listen(server)))
    await voteMany(server, `${store.name}-before`, 20)
    for (const listener of listeners)
      await listener.next(event => (JSON.parse(event.data) as PollStatus).total === 20, { timeoutMs: 5000 })

    // Half of them drop; votes go on without them; they come back.
    listeners.slice(0, 3).forEach(listener => listener.close())
    await voteMany(server, `${store.name}-while-away`, 15)
    const now = await pollStatus(server, 'skala')
    expect(now.total).toBe(35)
    const back = await Promise.all([0, 1, 2].map(() => reconnect(server)))
    for (const { first, ms } of back) {
      expect(first).toEqual(now)
      expect(ms).toBeLessThan(AT_ONCE_MS)
    }
    for (const listener of listeners.slice(3))
      await listener.next(event => (JSON.parse(event.data) as PollStatus).total === 35, { timeoutMs: 5000 })

    // The server dies under them (SIGKILL) and comes back on the same data; everyone reconnects.
    await server.kill()
    const restarted = await startPollServer({
      dir: server.dir,
      env: env(),
    })
    servers.push(restarted)
    const again = await Promise.all(Array.from({ length: 6 }, () => reconnect(restarted)))
    const afterRestart = await pollStatus(restarted, 'skala')
    expect(afterRestart).toEqual(now)
    for (const { first, ms } of again) {
      expect(first).toEqual(now)
      expect(ms).toBeLessThan(AT_ONCE_MS)
    }
    // And they keep following: one more vote reaches all of them.
    await voteMany(restarted, `${store.name}-after-restart`, 1)
    for (const { stream } of again)
      await stream.next(event => (JSON.parse(event.data) as PollStatus).total === 36, { timeoutMs: 5000 })
    process.stdout.write(`SSE reconnect (${store.name}): 3 of 6 listeners dropped while 15 votes came in, then all 6 cut off by SIGKILL of the server; `
      + `each reconnecting listener's first event showed the current ${now.total} votes, after at most ${Math.round(Math.max(...[
        ...back,
        ...again,
      ].map(result => result.ms)))} ms\n`)
  })
})
