import type { PollServer } from '../../tools/poll-server-process.ts'
/**
 * Fault: a poll server is killed with SIGKILL in the middle of a vote storm (no shutdown code runs), for each
 * store. After a restart every acknowledged vote must be stored, and each voter must count once, with the last
 * vote the server acknowledged (or a later one that got no answer).
 */
import type { RedisServer } from '../../tools/redis-process.ts'
import process from 'node:process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPollServer } from '../../tools/poll-server-process.ts'
import { startRedis } from '../../tools/redis-process.ts'
import { pollStatus, setPollState, waitFor } from './poll-http.ts'
import { redisVotes, sqliteVotes } from './stored-votes.ts'
import { createLedger, describeReport, tallyOf } from './vote-ledger.ts'
import { startStorm } from './vote-storm.ts'

const NO_LIMITS = { POLL_RATE_LIMITS: 'off' }
let redis: RedisServer
const servers: PollServer[] = []

beforeAll(async () => {
  redis = await startRedis()
})

afterAll(async () => {
  for (const server of servers)
    await server.stop()
  await redis?.remove()
})

interface StoreUnderTest {
  name: string
  env: () => Record<string, string>
  storedVotes: (server: PollServer, pollId: string) => Promise<Map<string, string[]>>
}

const stores: StoreUnderTest[] = [
  {
    name: 'SQLite',
    env: () => NO_LIMITS,
    storedVotes: async (server, pollId) => sqliteVotes(server.dbFile, pollId),
  },
  {
    name: 'Redis',
    env: () => ({ ...NO_LIMITS, POLL_STORE: `${redis.url}/1` }),
    storedVotes: (_server, pollId) => redisVotes(`${redis.url}/1`, pollId),
  },
]

describe.each(stores)('a poll server killed in a vote storm ($name)', (store) => {
  it('counts every acknowledged vote once after the restart', async () => {
    const first = await startPollServer({
      env: store.env(),
    })
    servers.push(first)
    await setPollState(first, 'valg', { state: 'open' })

    const ledger = createLedger()
    let target = first
    const storm = startStorm({
      targets: () => [target],
      pollId: 'valg',
      choices: ['ja', 'delvis', 'nei'],
      senders: 30,
      votersPerSender: 4,
      seed: store.name.length,
      ledger,
      voterPrefix: `kill-${store.name}`,
    })
    // Kill once the storm is well under way, whatever the machine's speed.
    const underWay = await waitFor(() => storm.acked() >= 300, 15_000, 5)
    await first.kill()
    await storm.stop()
    expect(underWay, 'the storm got under way before the kill').toBe(true)

    const second = await startPollServer({
      dir: first.dir,
      env: store.env(),
    })
    servers.push(second)
    target = second
    const stored = await store.storedVotes(second, 'valg')
    const report = ledger.check(stored)
    const counted = await pollStatus(second, 'valg')
    process.stdout.write(`SIGKILL (${store.name}): ${describeReport(report)}; after restart the server counts ${counted.total} voters ${JSON.stringify(counted.tallies)}\n`)

    expect(report.acked).toBeGreaterThanOrEqual(300)
    expect(report.lost, 'acknowledged votes missing after the restart').toEqual([])
    expect(report.wrong, 'voters stored with a vote that was not their last').toEqual([])
    expect(report.strangers).toEqual([])
    // Every voter counts once: the tallies are exactly those of the stored votes.
    expect(counted.state).toBe('open')
    expect({ total: counted.total, tallies: counted.tallies }).toEqual({
      total: stored.size,
      tallies: {
        ja: 0,
        delvis: 0,
        nei: 0,
        ...tallyOf(stored).tallies,
      },
    })
  })
})
