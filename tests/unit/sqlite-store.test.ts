// @vitest-environment node
import type { PollStore } from '../../server/store/types.ts'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSqliteStore } from '../../server/store/sqlite.ts'

let dir: string
let file: string
let store: PollStore

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'poll-store-'))
  file = join(dir, 'nested', 'polls.sqlite')
  store = createSqliteStore(file)
  await store.setState('p', { state: 'open' })
})

afterEach(async () => {
  await store.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('sqlite poll store', () => {
  it('starts every poll closed and unrevealed', async () => {
    expect(await store.getState('never-touched')).toEqual({
      state: 'closed',
      revealed: false,
      openedAt: null,
      closedAt: null,
    })
    expect(await store.tallies('never-touched')).toEqual({ total: 0, tallies: {}, distinct: 0 })
  })

  it('counts votes per item and voters in total', async () => {
    expect(await store.vote('p', 'voter-a1', ['x'])).toBe('stored')
    expect(await store.vote('p', 'voter-b1', ['x', 'y'])).toBe('stored')
    expect(await store.vote('p', 'voter-c1', ['z'])).toBe('stored')
    expect(await store.tallies('p')).toEqual({
      total: 3,
      tallies: { x: 2, y: 1, z: 1 },
      distinct: 3,
    })
  })

  it('replaces a voter\'s earlier vote, including every item of a multi vote', async () => {
    await store.vote('p', 'voter-a1', ['x', 'y', 'z'])
    await store.vote('p', 'voter-a1', ['w'])
    expect(await store.tallies('p')).toEqual({
      total: 1,
      tallies: { w: 1 },
      distinct: 1,
    })
  })

  it('keeps polls apart', async () => {
    await store.setState('q', { state: 'open' })
    await store.vote('p', 'voter-a1', ['x'])
    await store.vote('q', 'voter-a1', ['x'])
    await store.discardVotes('q')
    expect(await store.tallies('p')).toEqual({
      total: 1,
      tallies: { x: 1 },
      distinct: 1,
    })
    expect(await store.tallies('q')).toEqual({ total: 0, tallies: {}, distinct: 0 })
  })

  it('refuses to store a vote for a poll that is not open', async () => {
    expect(await store.vote('closed-poll', 'voter-a1', ['x'])).toBe('closed')
    await store.setState('p', { state: 'closed' })
    expect(await store.vote('p', 'voter-a1', ['x'])).toBe('closed')
    expect(await store.tallies('p')).toEqual({ total: 0, tallies: {}, distinct: 0 })
  })

  it('stores 100 simultaneous votes, and one failing vote leaves the others stored', async () => {
    const outcomes = await Promise.allSettled([
      ...Array.from({ length: 100 }, (_, index) => store.vote('p', `voter-${index}`, [`item-${index % 3}`])),
      store.vote('p', 'voter-bad', ['dup', 'dup']),
    ])
    expect(outcomes.slice(0, 100).every(outcome => outcome.status === 'fulfilled' && outcome.value === 'stored')).toBe(true)
    expect(outcomes[100]!.status).toBe('rejected')
    expect(await store.tallies('p')).toEqual({
      total: 100,
      tallies: { 'item-0': 34, 'item-1': 33, 'item-2': 33 },
      distinct: 3,
    })
  })

  it('applies the latest of several votes by one voter in the same batch', async () => {
    await Promise.all(['a', 'b', 'c', 'd'].map(item => store.vote('p', 'voter-a1', [item])))
    expect(await store.tallies('p')).toEqual({
      total: 1,
      tallies: { d: 1 },
      distinct: 1,
    })
  })

  it('stamps opening and closing and keeps the reveal flag', async () => {
    const before = Date.now()
    const opened = await store.setState('quiz', { state: 'open' })
    expect(opened.state).toBe('open')
    expect(opened.openedAt).toBeGreaterThanOrEqual(before)
    const revealed = await store.setState('quiz', { revealed: true })
    expect(revealed).toEqual({ ...opened, revealed: true })
    const reopened = await store.setState('quiz', { state: 'open' })
    expect(reopened.openedAt).toBe(opened.openedAt)
    const closed = await store.setState('quiz', { state: 'closed' })
    expect(closed).toMatchObject({ state: 'closed', revealed: true, openedAt: opened.openedAt })
    expect(closed.closedAt).toBeGreaterThanOrEqual(opened.openedAt!)
    expect((await store.allStates()).get('quiz')).toEqual(closed)
  })

  it('keeps votes and state after closing and reopening the file', async () => {
    await store.vote('p', 'voter-a1', ['x'])
    await store.vote('p', 'voter-b1', ['y'])
    await store.close()
    store = createSqliteStore(file)
    expect(await store.tallies('p')).toEqual({
      total: 2,
      tallies: { x: 1, y: 1 },
      distinct: 2,
    })
    expect((await store.getState('p')).state).toBe('open')
  })

  it('stores only session, poll, voter, the minute and items: no address or browser', async () => {
    const before = Date.now()
    await store.vote('p', 'voter-a1', ['x'])
    const after = Date.now()
    await store.close()
    const db = new Database(file, { readonly: true })
    const columns = (table: string) => (db.pragma(`table_info(${table})`) as { name: string }[]).map(column => column.name)
    expect(columns('session_votes')).toEqual([
      'session_id',
      'poll_id',
      'round',
      'voter_id',
      'voted_at',
    ])
    expect(columns('session_vote_items')).toEqual([
      'session_id',
      'poll_id',
      'round',
      'voter_id',
      'item',
    ])
    const { voted_at } = db.prepare('SELECT voted_at FROM session_votes').get() as { voted_at: number }
    expect(voted_at % 60_000).toBe(0)
    // The minute the vote was stored in (the clock may have passed a minute's end meanwhile).
    expect(voted_at).toBeGreaterThanOrEqual(before - (before % 60_000))
    expect(voted_at).toBeLessThanOrEqual(after - (after % 60_000))
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    db.close()
    store = createSqliteStore(file)
  })

  it('enforces one vote per poll and voter in the database itself', async () => {
    await store.vote('p', 'voter-a1', ['x'])
    await store.close()
    const db = new Database(file)
    expect(() => db.prepare('INSERT INTO session_votes (session_id, poll_id, round, voter_id, voted_at) VALUES (1, ?, 0, ?, ?)').run('p', 'voter-a1', 1))
      .toThrow(/UNIQUE|PRIMARY KEY/)
    db.close()
    store = createSqliteStore(file)
  })

  it('refuses work once closed', async () => {
    await store.close()
    await expect(store.vote('p', 'voter-a1', ['x'])).rejects.toThrow(/closed/)
    store = createSqliteStore(file)
  })
})
