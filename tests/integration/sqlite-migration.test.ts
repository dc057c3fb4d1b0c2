/**
 * The SQLite store opens databases written by earlier versions (the committed fixture, made by the store of
 * schema version 1 before it was versioned) with every vote and state intact, and refuses, without touching it,
 * a database stamped by a newer version.
 */
import type { PollStatus } from '../../polls/types.ts'
import type { PollStore } from '../../server/store/types.ts'
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { SCHEMA_VERSION } from '../../server/store/sqlite-schema.ts'
import { createSqliteStore } from '../../server/store/sqlite.ts'
import { startPollServer } from '../../tools/poll-server-process.ts'
import { sqliteVotes } from './stored-votes.ts'

const FIXTURE = fileURLToPath(new URL('../fixtures/polls-v1.sqlite', import.meta.url))

const dirs: string[] = []
const stores: PollStore[] = []
afterEach(async () => {
  await Promise.all(stores.splice(0).map(store => store.close()))
  for (const dir of dirs.splice(0))
    rmSync(dir, { recursive: true, force: true })
})

function copyOfFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-migration-'))
  dirs.push(dir)
  const file = join(dir, 'polls.sqlite')
  copyFileSync(FIXTURE, file)
  return file
}

function userVersion(file: string): number {
  const db = new Database(file, { readonly: true })
  try {
    return db.pragma('user_version', { simple: true }) as number
  }
  finally {
    db.close()
  }
}

describe('sQLite schema versions', () => {
  it('opens the database of the unversioned store with every vote, tally and poll state intact', async () => {
    const file = copyOfFixture()
    expect(userVersion(file)).toBe(0)
    const store = createSqliteStore(file)
    stores.push(store)

    expect(await store.tallies('valg')).toEqual({
      total: 3,
      tallies: { ja: 2, nei: 1 },
    })
    expect(await store.tallies('skala')).toEqual({
      total: 2,
      tallies: { 4: 1, 5: 1 },
    })
    expect(await store.tallies('quiz')).toEqual({
      total: 3,
      tallies: { dugnad: 2, samskaping: 1 },
    })
    expect(await store.tallies('flervalg')).toEqual({
      total: 2,
      tallies: { unge: 2, forskere: 1 },
    })
    expect(await store.tallies('ord')).toEqual({ total: 0, tallies: {} })
    expect(sqliteVotes(file, 'flervalg').get('fixture-voter-1')?.sort()).toEqual(['forskere', 'unge'])

    const states = await store.allStates()
    expect([
      ...states.keys(),
    ].sort()).toEqual(['flervalg', 'quiz', 'skala', 'valg'])
    expect(states.get('skala')).toMatchObject({ state: 'open', revealed: false, closedAt: null })
    expect(states.get('quiz')).toMatchObject({ state: 'closed', revealed: true })
    expect(states.get('valg')?.closedAt).toBeGreaterThanOrEqual(states.get('valg')!.openedAt!)

    // The open poll still takes votes, and the voter's earlier one is replaced, not added.
    expect(await store.vote('skala', 'fixture-voter-1', ['2'])).toBe('stored')
    expect(await store.tallies('skala')).toEqual({
      total: 2,
      tallies: { 2: 1, 5: 1 },
    })
    expect(userVersion(file)).toBe(SCHEMA_VERSION)
  })

  it('refuses a database from a newer version with a clear message, and leaves the file as it was', () => {
    const file = copyOfFixture()
    const db = new Database(file)
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`)
    db.close()
    const before = readFileSync(file)

    expect(() => createSqliteStore(file)).toThrow(/nyere versjon.*ikke endret/s)
    expect(readFileSync(file).equals(before)).toBe(true)
    expect(userVersion(file)).toBe(SCHEMA_VERSION + 1)
  })
})

describe('the poll server on an old or a newer database', () => {
  it('serves the old database\'s results, and refuses to start on a newer one, saying why', async () => {
    const file = copyOfFixture()
    const dir = dirname(file)
    const server = await startPollServer({ dir })
    try {
      const valg = await (await fetch(`${server.url}/api/polls/valg`)).json() as PollStatus
      expect(valg).toMatchObject({ state: 'closed', total: 3 })
    }
    finally {
      await server.stop({ keepDir: true })
    }

    const db = new Database(file)
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`)
    db.close()
    await expect(startPollServer({ dir })).rejects.toThrow(/Avstemningstjeneren kunne ikke starte: .*nyere versjon/)
  })
})
