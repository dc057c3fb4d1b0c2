/**
 * One behavioural suite for every poll store: the SQLite file on the speaker's laptop and Redis shared by
 * several poll servers must keep votes and state the same way. Each store is the real thing (a temporary
 * SQLite file, a real redis-server on loopback); the votes are read back both through the store and straight
 * from its database.
 */
import type { PollStore, StoreChange } from '../../server/store/types.ts'
import type { RedisServer } from '../../tools/redis-process.ts'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createRedisStore } from '../../server/store/redis.ts'
import { createSqliteStore } from '../../server/store/sqlite.ts'
import { StoreUnavailableError } from '../../server/store/unavailable.ts'
import { within } from '../../server/within.ts'
import { startRedis } from '../../tools/redis-process.ts'
import { inParallel, waitFor } from './poll-http.ts'
import { seededRandom } from './random.ts'
import { redisVotes, sqliteVotes } from './stored-votes.ts'
import { tallyOf } from './vote-ledger.ts'

let redisServer: RedisServer | undefined
const sqliteDirs: string[] = []

beforeAll(async () => {
  redisServer = await startRedis()
})

afterAll(async () => {
  await redisServer?.remove()
  for (const dir of sqliteDirs)
    rmSync(dir, { recursive: true, force: true })
})

/** A backend opens stores on one shared database per test: two opened stores are like two servers. */
interface Backend {
  name: string
  /** A fresh, empty database; returns a function opening a store on it. */
  fresh: () => () => PollStore
  /** Every vote of a poll, read without the store. */
  storedVotes: (pollId: string) => Promise<Map<string, string[]>>
}

let currentDatabase = ''

const sqlite: Backend = {
  name: 'SQLite',
  fresh() {
    const dir = mkdtempSync(join(tmpdir(), 'store-contract-'))
    sqliteDirs.push(dir)
    const file = join(dir, 'polls.sqlite')
    currentDatabase = file
    return () => createSqliteStore(file)
  },
  storedVotes: async pollId => sqliteVotes(currentDatabase, pollId),
}

let prefixCount = 0
const redis: Backend = {
  name: 'Redis',
  fresh() {
    // Every test gets its own key prefix: an empty «database» on the shared redis-server.
    const prefix = `contract-${++prefixCount}:`
    currentDatabase = prefix
    return () => createRedisStore(redisServer!.url, { prefix })
  },
  storedVotes: pollId => redisVotes(redisServer!.url, pollId, currentDatabase),
}

const opened: PollStore[] = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map(store => store.close()))
})

describe.each([sqlite, redis])('poll store contract: $name', (backend) => {
  function freshStores(): () => PollStore {
    const open = backend.fresh()
    return () => {
      const store = open()
      opened.push(store)
      return store
    }
  }

  function freshStore(): PollStore {
    return freshStores()()
  }

  it('announces each committed change once, and a refused vote not at all', async () => {
    const store = freshStore()
    const seen: StoreChange[] = []
    store.onChange(change => change.kind === 'resync' || seen.push(change))
    await store.setState('p', { state: 'open' })
    await store.vote('p', 'voter-announced', ['a'])
    await store.discardVotes('p')
    await store.setState('p', { state: 'closed' })
    expect(await store.vote('p', 'voter-refused', ['a'])).toBe('closed')
    const expected: StoreChange[] = [
      { kind: 'state', pollId: 'p' },
      { kind: 'votes', pollId: 'p' },
      { kind: 'votes', pollId: 'p' },
      { kind: 'state', pollId: 'p' },
    ]
    expect(await waitFor(() => seen.length >= expected.length, 5000)).toBe(true)
    await new Promise(resolve => setTimeout(resolve, 100))
    expect(seen).toEqual(expected)
  })

  it('settles once the votes accepted before are committed and announced', async () => {
    const store = freshStore()
    expect(await within(store.settled().then(() => 'settled'), 1000, 'waiting')).toBe('settled')
    await store.setState('p', { state: 'open' })
    const announced: StoreChange[] = []
    store.onChange(change => change.kind === 'votes' && announced.push(change))
    const votes = ['a', 'b', 'c'].map(option => store.vote('p', `voter-settles-${option}`, [option]))
    await store.settled()
    expect(announced).toHaveLength(3)
    expect((await store.tallies('p')).total).toBe(3)
    expect(await Promise.all(votes)).toEqual(['stored', 'stored', 'stored'])
  })

  it('starts every poll closed, unrevealed and without votes', async () => {
    const store = freshStore()
    expect(await store.getState('never-touched')).toEqual({
      state: 'closed',
      revealed: false,
      openedAt: null,
      closedAt: null,
    })
    expect(await store.tallies('never-touched')).toEqual({ total: 0, tallies: {}, distinct: 0 })
    expect(await store.allStates()).toEqual(new Map())
  })

  it('refuses votes while a poll is not open, and stores nothing then', async () => {
    const store = freshStore()
    expect(await store.vote('p', 'voter-never-open', ['a'])).toBe('closed')
    await store.setState('p', { state: 'open' })
    expect(await store.vote('p', 'voter-while-open', ['a'])).toBe('stored')
    await store.setState('p', { state: 'closed' })
    expect(await store.vote('p', 'voter-after-close', ['b'])).toBe('closed')
    expect(await store.vote('p', 'voter-while-open', ['b'])).toBe('closed')
    expect(await store.tallies('p')).toEqual({
      total: 1,
      tallies: { a: 1 },
      distinct: 1,
    })
    expect(await backend.storedVotes('p')).toEqual(new Map([
      [
        'voter-while-open',
        ['a'],
      ],
    ]))
  })

  it('counts votes per item and voters in total', async () => {
    const store = freshStore()
    await store.setState('p', { state: 'open' })
    expect(await store.vote('p', 'voter-a1', ['x'])).toBe('stored')
    expect(await store.vote('p', 'voter-b1', ['x', 'y'])).toBe('stored')
    expect(await store.vote('p', 'voter-c1', ['z'])).toBe('stored')
    expect(await store.tallies('p')).toEqual({
      total: 3,
      tallies: { x: 2, y: 1, z: 1 },
      distinct: 3,
    })
  })

  it('replaces a voter\'s earlier vote instead of adding one', async () => {
    const store = freshStore()
    await store.setState('p', { state: 'open' })
    await store.vote('p', 'voter-same', ['ja'])
    await store.vote('p', 'voter-other', ['ja'])
    await store.vote('p', 'voter-same', ['nei'])
    await store.vote('p', 'voter-same', ['delvis'])
    expect(await store.tallies('p')).toEqual({
      total: 2,
      tallies: { ja: 1, delvis: 1 },
      distinct: 2,
    })
    expect((await backend.storedVotes('p')).get('voter-same')).toEqual(['delvis'])
  })

  it('replaces the whole set of a multiple-choice vote', async () => {
    const store = freshStore()
    await store.setState('m', { state: 'open' })
    await store.vote('m', 'voter-multi', ['unge', 'forskere'])
    await store.vote('m', 'voter-multi', ['forskere', 'fagfolk'])
    await store.vote('m', 'voter-single', ['unge'])
    expect(await store.tallies('m')).toEqual({
      total: 2,
      tallies: { forskere: 1, fagfolk: 1, unge: 1 },
      distinct: 3,
    })
    await store.vote('m', 'voter-multi', ['naringsliv'])
    expect(await store.tallies('m')).toEqual({
      total: 2,
      tallies: { naringsliv: 1, unge: 1 },
      distinct: 2,
    })
    expect((await backend.storedVotes('m')).get('voter-multi')).toEqual(['naringsliv'])
  })

  it('keeps votes of different polls apart, and discardVotes empties only its own poll', async () => {
    const store = freshStore()
    await store.setState('p', { state: 'open' })
    await store.setState('q', { state: 'open' })
    await store.vote('p', 'voter-both', ['a'])
    await store.vote('q', 'voter-both', ['b'])
    await store.vote('p', 'voter-p-only', ['a'])
    await store.discardVotes('p')
    expect(await store.tallies('p')).toEqual({ total: 0, tallies: {}, distinct: 0 })
    expect(await store.tallies('q')).toEqual({
      total: 1,
      tallies: { b: 1 },
      distinct: 1,
    })
    expect(await backend.storedVotes('p')).toEqual(new Map())
    expect((await store.getState('p')).state).toBe('open')
    // After a reset the same voters vote afresh.
    await store.vote('p', 'voter-both', ['c'])
    expect(await store.tallies('p')).toEqual({
      total: 1,
      tallies: { c: 1 },
      distinct: 1,
    })
  })

  it('stamps openedAt and closedAt, keeps them across other changes, and toggles revealed on its own', async () => {
    const store = freshStore()
    const before = Date.now()
    const opened = await store.setState('quiz', { state: 'open' })
    const after = Date.now()
    expect(opened).toMatchObject({ state: 'open', revealed: false, closedAt: null })
    // Redis stamps with its own clock: the same machine here, so within the call.
    expect(opened.openedAt).toBeGreaterThanOrEqual(before - 5)
    expect(opened.openedAt).toBeLessThanOrEqual(after + 5)
    expect(await store.getState('quiz')).toEqual(opened)

    await new Promise(resolve => setTimeout(resolve, 5))
    expect(await store.setState('quiz', { state: 'open' })).toEqual(opened)
    const revealed = await store.setState('quiz', { revealed: true })
    expect(revealed).toEqual({ ...opened, revealed: true })
    const closed = await store.setState('quiz', { state: 'closed' })
    expect(closed.state).toBe('closed')
    expect(closed.openedAt).toBe(opened.openedAt)
    expect(closed.closedAt).toBeGreaterThanOrEqual(opened.openedAt!)
    expect(closed.revealed).toBe(true)

    await new Promise(resolve => setTimeout(resolve, 5))
    const reopened = await store.setState('quiz', { state: 'open', revealed: false })
    expect(reopened.openedAt).toBeGreaterThan(opened.openedAt!)
    expect(reopened).toMatchObject({ state: 'open', revealed: false, closedAt: closed.closedAt })
  })

  it('lists the state of every poll that has one', async () => {
    const store = freshStore()
    const first = await store.setState('first', { state: 'open' })
    const second = await store.setState('second', { revealed: true })
    await store.setState('third', { state: 'open' })
    const third = await store.setState('third', { state: 'closed' })
    expect(await store.allStates()).toEqual(new Map([
      ['first', first],
      ['second', second],
      ['third', third],
    ]))
    expect(second).toEqual({
      state: 'closed',
      revealed: true,
      openedAt: null,
      closedAt: null,
    })
  })

  it('keeps words exactly as given, whatever characters they hold', async () => {
    const store = freshStore()
    await store.setState('ord', { state: 'open' })
    const words = [
      'æøå',
      'møter uten mål',
      '🌍 jord',
      'a|b',
      'x:y',
      '"sitat"',
      '%s %d',
      'back\\slash',
      'ключ',
      '{}',
      'ـــ',
      'e\u0301',
    ]
    await inParallel(words, 4, async (word, index) => {
      expect(await store.vote('ord', `word-voter-${index}`, [word])).toBe('stored')
      expect(await store.vote('ord', `word-twin-${index}`, [word])).toBe('stored')
    })
    expect(await store.tallies('ord')).toEqual({
      total: words.length * 2,
      tallies: Object.fromEntries(words.map(word => [word, 2])),
      distinct: words.length,
    })
  })

  it('keeps tallies equal to the stored votes under many concurrent re-votes', async () => {
    const store = freshStore()
    await store.setState('storm', { state: 'open' })
    const last = await concurrentRevotes(() => store)
    expect(sorted(await backend.storedVotes('storm'))).toEqual(sorted(last))
    expect(await store.tallies('storm')).toEqual(tallyOf(last))
  })

  it('keeps a reset\'s votes aside and restores them, a newer vote of the same voter winning', async () => {
    const store = freshStore()
    await store.setState('p', { state: 'open' })
    await store.vote('p', 'voter-kept', ['a'])
    await store.vote('p', 'voter-revotes', ['a'])
    await store.vote('p', 'voter-multi', ['a', 'b'])
    expect(await store.discardedVoters('p')).toBe(0)
    await store.setState('p', { revealed: true })
    await store.discardVotes('p')
    expect(await store.tallies('p')).toEqual({ total: 0, tallies: {}, distinct: 0 })
    expect(await store.getState('p')).toMatchObject({ state: 'open', revealed: false })
    expect(await store.discardedVoters('p')).toBe(3)
    await store.vote('p', 'voter-revotes', ['c'])
    await store.vote('p', 'voter-new', ['c'])
    expect(await store.discardedVoters('p')).toBe(2)

    expect(await store.restoreVotes('p')).toBe(2)
    expect(await store.tallies('p')).toEqual({
      total: 4,
      tallies: { a: 2, b: 1, c: 2 },
      distinct: 3,
    })
    expect(sorted(await backend.storedVotes('p'))).toEqual(new Map([
      [
        'voter-kept',
        ['a'],
      ],
      [
        'voter-multi',
        ['a', 'b'],
      ],
      [
        'voter-new',
        ['c'],
      ],
      [
        'voter-revotes',
        ['c'],
      ],
    ]))
    expect(await store.discardedVoters('p')).toBe(0)
    expect(await store.restoreVotes('p')).toBe(0)

    // Two resets: each voter's newest set-aside vote comes back.
    await store.discardVotes('p')
    await store.vote('p', 'voter-kept', ['b'])
    await store.discardVotes('p')
    expect(await store.restoreVotes('p')).toBe(4)
    expect((await store.tallies('p')).tallies).toEqual({ a: 1, b: 2, c: 2 })
  })

  it('starts a session with every poll closed and empty, and keeps earlier sessions whole', async () => {
    const store = freshStore()
    const first = await store.currentSession()
    expect(await store.sessions()).toEqual([first])
    await store.setState('p', { state: 'open' })
    await store.vote('p', 'voter-first', ['a'])
    await store.vote('p', 'voter-second', ['b'])
    await store.setState('p', { state: 'closed' })

    const before = Date.now()
    const second = await store.startSession('Arendalsuka 2027')
    expect(second).toEqual({
      id: expect.any(Number),
      name: 'Arendalsuka 2027',
      startedAt: expect.any(Number),
    })
    expect(second.id).toBeGreaterThan(first.id)
    expect(second.startedAt).toBeGreaterThanOrEqual(before - 5)
    expect(await store.currentSession()).toEqual(second)
    expect(await store.sessions()).toEqual([first, second])

    expect(await store.getState('p')).toEqual({
      state: 'closed',
      revealed: false,
      openedAt: null,
      closedAt: null,
    })
    expect(await store.tallies('p')).toEqual({ total: 0, tallies: {}, distinct: 0 })
    expect(await store.allStates()).toEqual(new Map())
    expect(await store.vote('p', 'voter-first', ['a'])).toBe('closed')
    await store.setState('p', { state: 'open' })
    expect(await store.vote('p', 'voter-first', ['c'])).toBe('stored')

    expect(await store.tallies('p', { session: first.id })).toEqual({
      total: 2,
      tallies: { a: 1, b: 1 },
      distinct: 2,
    })
    expect(await store.getState('p', first.id)).toMatchObject({ state: 'closed' })
    expect([
      ...(await store.allStates(first.id)).keys(),
    ]).toEqual(['p'])
    expect(await store.tallies('p')).toEqual({
      total: 1,
      tallies: { c: 1 },
      distinct: 1,
    })
  })

  it('deletes a session it is asked to, never the current one, and says which it did', async () => {
    const store = freshStore()
    const first = await store.currentSession()
    await store.setState('p', { state: 'open' })
    await store.vote('p', 'voter-gone', ['a'])
    await store.discardVotes('p')
    await store.vote('p', 'voter-gone', ['b'])
    expect(await store.deleteSession(first.id)).toBe('current')
    const second = await store.startSession('Neste')
    expect(await store.deleteSession(first.id)).toBe('deleted')
    expect(await store.deleteSession(first.id)).toBe('unknown')
    expect(await store.deleteSession(second.id + 100)).toBe('unknown')
    expect(await store.sessions()).toEqual([second])
    expect(await store.tallies('p', { session: first.id })).toEqual({ total: 0, tallies: {}, distinct: 0 })
  })

  it('announces a new or deleted session', async () => {
    const store = freshStore()
    const seen: StoreChange[] = []
    store.onChange(change => change.kind === 'resync' || seen.push(change))
    const first = await store.currentSession()
    await store.startSession('Ny')
    await store.deleteSession(first.id)
    expect(await waitFor(() => seen.length >= 2, 5000)).toBe(true)
    expect(seen).toEqual([
      { kind: 'session' },
      { kind: 'session' },
    ])
  })

  it('ranks the most frequent keys itself, and leaves hidden ones out of the tallies but not out of the moderation list', async () => {
    const store = freshStore()
    await store.setState('ord', { state: 'open' })
    const counts: Record<string, number> = {
      samarbeid: 5,
      siloer: 4,
      tillit: 3,
      møter: 2,
      ja: 1,
    }
    let voter = 0
    for (const [word, times] of Object.entries(counts)) {
      for (let index = 0; index < times; index++)
        await store.vote('ord', `ranked-voter-${voter++}`, [word])
    }
    expect(await store.tallies('ord', { limit: 2 })).toEqual({
      total: 15,
      tallies: { samarbeid: 5, siloer: 4 },
      distinct: 5,
    })
    await store.setHidden('ord', 'siloer', true)
    expect(await store.tallies('ord', { limit: 2 })).toEqual({
      total: 15,
      tallies: { samarbeid: 5, tillit: 3 },
      distinct: 5,
    })
    expect(await store.recentItems('ord', 3)).toEqual([
      { item: 'ja', votes: 1, hidden: false },
      { item: 'møter', votes: 2, hidden: false },
      { item: 'tillit', votes: 3, hidden: false },
    ])
    expect((await store.recentItems('ord', 10)).find(item => item.item === 'siloer')).toEqual({ item: 'siloer', votes: 4, hidden: true })
    await store.setHidden('ord', 'siloer', false)
    expect((await store.tallies('ord')).tallies).toEqual(counts)
  })

  it('refuses a new key beyond maxDistinct, but not a vote for a key already counted', async () => {
    const store = freshStore()
    await store.setState('ord', { state: 'open' })
    const limits = { maxDistinct: 2 }
    expect(await store.vote('ord', 'capped-1', ['en'], limits)).toBe('stored')
    expect(await store.vote('ord', 'capped-2', ['to'], limits)).toBe('stored')
    expect(await store.vote('ord', 'capped-3', ['tre'], limits)).toBe('full')
    expect(await store.vote('ord', 'capped-3', ['en'], limits)).toBe('stored')
    // A voter moving off the only vote for a key frees its place.
    expect(await store.vote('ord', 'capped-2', ['en'], limits)).toBe('stored')
    expect(await store.vote('ord', 'capped-4', ['tre'], limits)).toBe('stored')
    expect(await store.tallies('ord')).toEqual({
      total: 4,
      tallies: { en: 3, tre: 1 },
      distinct: 2,
    })
  })

  it('shares ideas, merging equal ones: the author lifts their own, and another voter\'s same idea adds their lift', async () => {
    const store = freshStore()
    expect(await store.shareIdea('vegg', 'idea-author', { text: 'Mer tid', key: 'mer tid' }, 'pending')).toEqual({ outcome: 'closed' })
    await store.setState('vegg', { state: 'open' })
    const shared = await store.shareIdea('vegg', 'idea-author', { text: 'Mer tid', key: 'mer tid' }, 'pending')
    expect(shared).toEqual({
      outcome: 'shared',
      idea: {
        id: expect.any(Number),
        text: 'Mer tid',
        lifts: 1,
        state: 'pending',
      },
    })
    const id = (shared as { idea: { id: number } }).idea.id
    expect(await store.shareIdea('vegg', 'idea-twin', { text: 'MER  tid', key: 'mer tid' }, 'pending'))
      .toEqual({
        outcome: 'joined',
        idea: {
          id,
          text: 'Mer tid',
          lifts: 2,
          state: 'pending',
        },
      })
    expect(await store.shareIdea('vegg', 'idea-twin', { text: 'mer tid', key: 'mer tid' }, 'pending'))
      .toEqual({
        outcome: 'joined',
        idea: {
          id,
          text: 'Mer tid',
          lifts: 2,
          state: 'pending',
        },
      })

    // Phones see approved ideas only: a pending one cannot be lifted yet.
    expect(await store.liftIdea('vegg', id, 'idea-lifter', true)).toBe('unknown')
    expect(await store.ideaWall('vegg', {
      states: ['approved'],
    })).toEqual({
      ideas: [],
      people: 2,
      pending: 1,
      discarded: 0,
    })
    expect(await store.setIdeaState('vegg', id, 'approved')).toEqual({
      id,
      text: 'Mer tid',
      lifts: 2,
      state: 'approved',
    })
    expect(await store.setIdeaState('vegg', id + 1000, 'approved')).toBeUndefined()
    expect(await store.liftIdea('vegg', id, 'idea-lifter', true)).toBe('lifted')
    expect(await store.liftIdea('vegg', id, 'idea-lifter', true)).toBe('already')
    expect(await store.liftIdea('vegg', id + 1000, 'idea-lifter', true)).toBe('unknown')
    const other = await store.shareIdea('vegg', 'idea-lifter', { text: 'Spør de unge', key: 'spør de unge' }, 'approved') as { idea: { id: number } }
    expect(await store.ideaWall('vegg', {
      states: ['approved'],
    })).toEqual({
      ideas: [
        {
          id,
          text: 'Mer tid',
          lifts: 3,
          state: 'approved',
        },
        {
          id: other.idea.id,
          text: 'Spør de unge',
          lifts: 1,
          state: 'approved',
        },
      ],
      people: 3,
      pending: 0,
      discarded: 0,
    })
    expect(await store.liftIdea('vegg', id, 'idea-lifter', false)).toBe('withdrawn')
    expect(await store.liftIdea('vegg', id, 'idea-lifter', false)).toBe('not-lifted')
    await store.setIdeaState('vegg', other.idea.id, 'hidden')
    expect(await store.ideaWall('vegg', {
      states: ['approved'],
    })).toMatchObject({
      ideas: [
        { id, lifts: 2 },
      ],
      people: 3,
    })
    expect((await store.ideaWall('vegg', {
      states: ['approved', 'pending', 'hidden'],
    })).ideas.map(idea => idea.state)).toEqual(['approved', 'hidden'])

    await store.setState('vegg', { state: 'closed' })
    expect(await store.liftIdea('vegg', id, 'idea-late', true)).toBe('closed')
  })

  it('counts a lift once per voter and idea when the same voter lifts many times at once', async () => {
    const store = freshStore()
    await store.setState('vegg', { state: 'open' })
    const { idea } = await store.shareIdea('vegg', 'storm-author', { text: 'Felles mål', key: 'felles mål' }, 'approved') as { idea: { id: number } }
    const voters = Array.from({ length: 40 }, (_, index) => `storm-lifter-${index}`)
    const outcomes = await Promise.all(voters.flatMap(voter => [0, 1, 2].map(() => store.liftIdea('vegg', idea.id, voter, true))))
    expect(outcomes.filter(outcome => outcome === 'lifted')).toHaveLength(40)
    expect(outcomes.filter(outcome => outcome === 'already')).toHaveLength(80)
    expect((await store.ideaWall('vegg', {
      states: ['approved'],
    })).ideas[0]).toMatchObject({ lifts: 41 })
  })

  it('refuses a new idea beyond maxDistinct, but still takes the same idea again', async () => {
    const store = freshStore()
    await store.setState('vegg', { state: 'open' })
    const limits = { maxDistinct: 1 }
    expect(await store.shareIdea('vegg', 'cap-1', { text: 'En', key: 'en' }, 'approved', limits)).toMatchObject({ outcome: 'shared' })
    expect(await store.shareIdea('vegg', 'cap-2', { text: 'To', key: 'to' }, 'approved', limits)).toEqual({ outcome: 'full' })
    expect(await store.shareIdea('vegg', 'cap-2', { text: 'en', key: 'en' }, 'approved', limits)).toMatchObject({ outcome: 'joined' })
  })

  it('sets ideas aside on a reset and brings them back with their lifts, unless the same idea was shared again', async () => {
    const store = freshStore()
    await store.setState('vegg', { state: 'open' })
    const { idea: kept } = await store.shareIdea('vegg', 'reset-a', { text: 'Kept', key: 'kept' }, 'approved') as { idea: { id: number } }
    await store.liftIdea('vegg', kept.id, 'reset-b', true)
    await store.shareIdea('vegg', 'reset-c', { text: 'Twice', key: 'twice' }, 'approved')
    await store.discardVotes('vegg')
    expect(await store.ideaWall('vegg', {
      states: ['approved'],
    })).toEqual({
      ideas: [],
      people: 0,
      pending: 0,
      discarded: 2,
    })
    await store.shareIdea('vegg', 'reset-d', { text: 'twice', key: 'twice' }, 'approved')
    expect((await store.ideaWall('vegg', {
      states: ['approved'],
    })).discarded).toBe(1)
    expect(await store.restoreVotes('vegg')).toBe(1)
    const wall = await store.ideaWall('vegg', {
      states: ['approved'],
    })
    expect(wall.ideas.map(idea => [idea.text, idea.lifts])).toEqual([
      ['Kept', 2],
      ['twice', 1],
    ])
    expect(wall.people).toBe(3)
    expect(wall.discarded).toBe(0)
  })

  it('keeps each session\'s ideas apart and deletes them with their session', async () => {
    const store = freshStore()
    const first = await store.currentSession()
    await store.setState('vegg', { state: 'open' })
    await store.shareIdea('vegg', 'session-a', { text: 'Gammel idé', key: 'gammel idé' }, 'approved')
    await store.startSession('Ny')
    expect(await store.ideaWall('vegg', {
      states: ['approved'],
    })).toEqual({
      ideas: [],
      people: 0,
      pending: 0,
      discarded: 0,
    })
    expect((await store.ideaWall('vegg', {
      session: first.id,
      states: ['approved'],
    })).ideas.map(idea => idea.text)).toEqual(['Gammel idé'])
    expect(await store.deleteSession(first.id)).toBe('deleted')
    expect(await store.ideaWall('vegg', {
      session: first.id,
      states: ['approved'],
    })).toEqual({
      ideas: [],
      people: 0,
      pending: 0,
      discarded: 0,
    })
  })

  it('keeps votes and state when the store is closed and opened again', async () => {
    const open = freshStores()
    const first = open()
    const state = await first.setState('p', { state: 'open' })
    await first.vote('p', 'voter-kept-1', ['a'])
    await first.vote('p', 'voter-kept-2', ['a', 'b'])
    await first.close()
    await expect(first.vote('p', 'voter-too-late', ['a'])).rejects.toThrow()
    const second = open()
    expect(await second.getState('p')).toEqual(state)
    expect(await second.tallies('p')).toEqual({
      total: 2,
      tallies: { a: 2, b: 1 },
      distinct: 2,
    })
  })
})

/** Sorts each voter's items, so that stores returning them in another order compare equal. */
function sorted(votes: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  return new Map([...votes].map(([voter, items]) => [
    voter,
    [...items].sort(),
  ]))
}

/**
 * 120 voters, 24 at a time, each voting three times one after the other (through the next store each time,
 * when there are several). Returns each voter's last vote.
 */
async function concurrentRevotes(storeFor: (attempt: number) => PollStore): Promise<Map<string, string[]>> {
  const random = seededRandom(6)
  const options = ['ja', 'delvis', 'nei', 'vet-ikke']
  const voters = Array.from({ length: 120 }, (_, index) => `contract-voter-${index}`)
  const last = new Map<string, string[]>()
  await inParallel(voters, 24, async (voter, index) => {
    for (let round = 0; round < 3; round++) {
      const items = random.chance(0.3)
        ? [
            random.pick(options),
            'også',
          ]
        : [
            random.pick(options),
          ]
      expect(await storeFor(index + round).vote('storm', voter, items)).toBe('stored')
      last.set(voter, items)
    }
  })
  return last
}

describe('redis store specifics', () => {
  const stores: PollStore[] = []
  afterEach(async () => {
    await Promise.all(stores.splice(0).map(store => store.close()))
  })

  function open(prefix: string): PollStore {
    const store = createRedisStore(redisServer!.url, {
      prefix,
      log: {
        error() {},
        warn() {},
        info() {},
      },
    })
    stores.push(store)
    return store
  }

  it('keeps tallies equal to the stored votes when two servers\' stores take interleaved re-votes', async () => {
    const nodes = [
      open('two-nodes:'),
      open('two-nodes:'),
    ]
    await nodes[0]!.setState('storm', { state: 'open' })
    const last = await concurrentRevotes(attempt => nodes[attempt % 2]!)
    expect(sorted(await redisVotes(redisServer!.url, 'storm', 'two-nodes:'))).toEqual(sorted(last))
    expect(await nodes[0]!.tallies('storm')).toEqual(tallyOf(last))
    expect(await nodes[1]!.tallies('storm')).toEqual(tallyOf(last))
  })

  it('counts each voter\'s lift once when two servers\' stores take the same lifts at once', async () => {
    const nodes = [
      open('two-node-lifts:'),
      open('two-node-lifts:'),
    ]
    await nodes[0]!.setState('vegg', { state: 'open' })
    const { idea } = await nodes[1]!.shareIdea('vegg', 'node-author', { text: 'Ett mål', key: 'ett mål' }, 'approved') as { idea: { id: number } }
    const voters = Array.from({ length: 60 }, (_, index) => `node-lifter-${index}`)
    const outcomes = await Promise.all(voters.flatMap(voter => nodes.map(node => node.liftIdea('vegg', idea.id, voter, true))))
    expect(outcomes.filter(outcome => outcome === 'lifted')).toHaveLength(60)
    expect((await nodes[0]!.ideaWall('vegg', {
      states: ['approved'],
    })).ideas[0]).toMatchObject({ lifts: 61 })
  })

  it('loads its scripts again when Redis has forgotten them (NOSCRIPT)', async () => {
    const store = open('noscript:')
    await store.setState('p', { state: 'open' })
    await store.vote('p', 'voter-before', ['a'])
    const admin = new Redis(redisServer!.url)
    await admin.script('FLUSH')
    admin.disconnect()
    expect(await store.vote('p', 'voter-after', ['b'])).toBe('stored')
    await store.discardVotes('p')
    await store.setState('p', { state: 'closed' })
    expect(await store.getState('p')).toMatchObject({ state: 'closed' })
    expect(await store.tallies('p')).toEqual({ total: 0, tallies: {}, distinct: 0 })
  })

  it('tells every store on the same Redis about each change, its own included', async () => {
    const origin = open('fanout:')
    const other = open('fanout:')
    const seen: { origin: StoreChange[], other: StoreChange[] } = { origin: [], other: [] }
    origin.onChange(change => seen.origin.push(change))
    other.onChange(change => seen.other.push(change))
    // Both have subscribed once they report a resync.
    expect(await waitFor(() => seen.origin.length > 0 && seen.other.length > 0, 5000)).toBe(true)
    await origin.setState('p', { state: 'open' })
    await origin.vote('p', 'voter-fanout', ['a'])
    await origin.discardVotes('p')
    await origin.vote('p', 'voter-second', ['a'])
    await origin.setState('p', { state: 'closed' })
    expect(await origin.vote('p', 'voter-refused', ['a'])).toBe('closed')
    const expected = [
      { kind: 'resync' },
      { kind: 'state', pollId: 'p' },
      { kind: 'votes', pollId: 'p' },
      { kind: 'votes', pollId: 'p' },
      { kind: 'votes', pollId: 'p' },
      { kind: 'state', pollId: 'p' },
    ]
    expect(await waitFor(() => seen.other.length >= expected.length, 5000)).toBe(true)
    // A refused vote publishes nothing.
    await new Promise(resolve => setTimeout(resolve, 100))
    expect(seen.other).toEqual(expected)
    expect(seen.origin).toEqual(expected)
  })

  it('fails quickly with StoreUnavailableError while Redis is down, and works again when it is back', async () => {
    const store = open('outage:')
    await store.setState('p', { state: 'open' })
    await store.vote('p', 'voter-before-outage', ['a'])
    await redisServer!.kill()
    try {
      const calls: [string, () => Promise<unknown>][] = [
        [
          'vote',
          () => store.vote('p', 'voter-during-outage', ['b']),
        ],
        [
          'tallies',
          () => store.tallies('p'),
        ],
        [
          'getState',
          () => store.getState('p'),
        ],
        [
          'setState',
          () => store.setState('p', { state: 'closed' }),
        ],
        [
          'allStates',
          () => store.allStates(),
        ],
        [
          'discardVotes',
          () => store.discardVotes('p'),
        ],
      ]
      for (const [name, call] of calls) {
        const started = performance.now()
        const error = await call().then(() => undefined, (error: unknown) => error)
        const tookMs = performance.now() - started
        expect(error, name).toBeInstanceOf(StoreUnavailableError)
        expect(tookMs, name).toBeLessThan(2500)
      }
    }
    finally {
      await redisServer!.start()
    }
    // The same store reconnects by itself; what was acknowledged before the crash is still there.
    expect(await waitFor(async () => (await store.tallies('p').catch(() => null))?.total === 1, 10_000)).toBe(true)
    expect(await store.vote('p', 'voter-after-outage', ['b'])).toBe('stored')
    expect(await store.tallies('p')).toEqual({
      total: 2,
      tallies: { a: 1, b: 1 },
      distinct: 2,
    })
  })
})
