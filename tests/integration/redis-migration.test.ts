/**
 * The Redis store finds the key layout of the store before sessions (see server/store/redis-scripts.ts) and moves
 * it, whole, into session 1, once, even when several poll servers start on it at the same moment.
 */
import type { PollStore } from '../../server/store/types.ts'
import type { RedisServer } from '../../tools/redis-process.ts'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { dateLabel } from '../../polls/format.ts'
import { ITEM_SEPARATOR } from '../../server/store/redis-scripts.ts'
import { createRedisStore } from '../../server/store/redis.ts'
import { startRedis } from '../../tools/redis-process.ts'
import { redisVotes } from './stored-votes.ts'

let redis: RedisServer
const stores: PollStore[] = []
beforeAll(async () => {
  redis = await startRedis()
})
afterEach(async () => {
  await Promise.all(stores.splice(0).map(store => store.close()))
})
afterAll(async () => {
  await redis?.remove()
})

const OPENED = Date.parse('2027-08-14T10:00:00.000Z')

/** What the store before sessions left in Redis after a talk: two polls, one open, one closed and revealed. */
async function writeLayoutBeforeSessions(prefix: string): Promise<void> {
  const client = new Redis(redis.url)
  await client.hset(`${prefix}states`, {
    valg: JSON.stringify({
      state: 'open',
      revealed: false,
      openedAt: OPENED + 60_000,
      closedAt: null,
    }),
    quiz: JSON.stringify({
      state: 'closed',
      revealed: true,
      openedAt: OPENED,
      closedAt: OPENED + 120_000,
    }),
  })
  await client.hset(`${prefix}poll:valg:votes`, { 'old-voter-1': 'ja', 'old-voter-2': 'ja', 'old-voter-3': 'nei' })
  await client.hset(`${prefix}poll:valg:tallies`, { ja: '2', nei: '1' })
  await client.hset(`${prefix}poll:quiz:votes`, { 'old-voter-1': 'dugnad', 'old-voter-2': `samskaping${ITEM_SEPARATOR}dugnad` })
  await client.hset(`${prefix}poll:quiz:tallies`, { dugnad: '2', samskaping: '1' })
  client.disconnect()
}

describe('redis store on the layout from before sessions', () => {
  it('moves every vote, tally and state into session 1, named after the day the first poll opened', async () => {
    const prefix = 'before-sessions:'
    await writeLayoutBeforeSessions(prefix)
    const [first, second] = [
      createRedisStore(redis.url, { prefix }),
      createRedisStore(redis.url, { prefix }),
    ]
    stores.push(first, second)
    // Both servers start at once: one of them migrates, the other finds it done.
    const [sessionsSeenByFirst, sessionsSeenBySecond] = await Promise.all([
      first.sessions(),
      second.sessions(),
    ])
    expect(sessionsSeenByFirst).toEqual([
      {
        id: 1,
        name: dateLabel(OPENED),
        startedAt: OPENED,
      },
    ])
    expect(sessionsSeenBySecond).toEqual(sessionsSeenByFirst)

    expect(await first.tallies('valg')).toEqual({
      total: 3,
      tallies: { ja: 2, nei: 1 },
      distinct: 2,
    })
    expect(await second.tallies('quiz')).toEqual({
      total: 2,
      tallies: { dugnad: 2, samskaping: 1 },
      distinct: 2,
    })
    expect(await first.getState('quiz')).toEqual({
      state: 'closed',
      revealed: true,
      openedAt: OPENED,
      closedAt: OPENED + 120_000,
    })
    expect((await redisVotes(redis.url, 'quiz', prefix)).get('old-voter-2')).toEqual(['samskaping', 'dugnad'])

    // The open poll goes on: a voter's earlier vote is replaced, not added.
    expect(await first.vote('valg', 'old-voter-3', ['ja'])).toBe('stored')
    expect(await second.tallies('valg')).toEqual({
      total: 3,
      tallies: { ja: 3 },
      distinct: 1,
    })

    const client = new Redis(redis.url)
    const left = (await client.keys(`${prefix}*`)).filter(key => !key.startsWith(`${prefix}s:`) && !key.startsWith(`${prefix}session`) && key !== `${prefix}seq`)
    client.disconnect()
    expect(left).toEqual([])
  })
})
