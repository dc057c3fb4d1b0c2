/**
 * The SQLite store opens databases written by earlier versions (the committed fixture, made by the store of
 * schema version 1 before it was versioned) with every vote and state intact, as the current session, and refuses,
 * without touching it, a database stamped by a newer version. A crash in the middle of a migration leaves a
 * database the next start migrates.
 */
import type { PollStatus } from '../../polls/types.ts'
import type { PollStore } from '../../server/store/types.ts'
import { spawn } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { dateLabel } from '../../polls/format.ts'
import { SCHEMA_VERSION } from '../../server/store/sqlite-schema.ts'
import { createSqliteStore } from '../../server/store/sqlite.ts'
import { PROJECT_ROOT, startPollServer } from '../../tools/poll-server-process.ts'
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

/** When the fixture's first vote was stored (milliseconds), read before the migration. */
function fixtureFirstVote(file: string): number {
  const db = new Database(file, { readonly: true })
  try {
    return (db.prepare('SELECT min(voted_at) AS at FROM votes').get() as { at: number }).at
  }
  finally {
    db.close()
  }
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
    const firstVote = fixtureFirstVote(file)
    const store = createSqliteStore(file)
    stores.push(store)

    const sessions = await store.sessions()
    expect(sessions).toEqual([
      {
        id: 1,
        name: dateLabel(firstVote),
        startedAt: firstVote,
      },
    ])
    expect(await store.currentSession()).toEqual(sessions[0])

    expect(await store.tallies('valg')).toEqual({
      total: 3,
      tallies: { ja: 2, nei: 1 },
      distinct: 2,
    })
    expect(await store.tallies('skala')).toEqual({
      total: 2,
      tallies: { 4: 1, 5: 1 },
      distinct: 2,
    })
    expect(await store.tallies('quiz')).toEqual({
      total: 3,
      tallies: { dugnad: 2, samskaping: 1 },
      distinct: 2,
    })
    expect(await store.tallies('flervalg')).toEqual({
      total: 2,
      tallies: { unge: 2, forskere: 1 },
      distinct: 2,
    })
    expect(await store.tallies('ord')).toEqual({ total: 0, tallies: {}, distinct: 0 })
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
      distinct: 2,
    })
    expect(userVersion(file)).toBe(SCHEMA_VERSION)
  })

  it('counts each poll\'s voters in its current round when it opens a version-3 database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sqlite-migration-'))
    dirs.push(dir)
    const file = join(dir, 'polls.sqlite')
    const writing = createSqliteStore(file)
    await writing.setState('valg', { state: 'open' })
    for (const voter of ['a', 'b', 'c'])
      expect(await writing.vote('valg', `voter-${voter}`, ['ja'])).toBe('stored')
    await writing.discardVotes('valg')
    expect(await writing.vote('valg', 'voter-a', ['nei'])).toBe('stored')
    expect(await writing.vote('valg', 'voter-d', ['nei'])).toBe('stored')
    await writing.close()
    // What version 3 wrote: the same tables without the kept count.
    const db = new Database(file)
    db.exec('ALTER TABLE session_poll_state DROP COLUMN voters; PRAGMA user_version = 3;')
    db.close()

    const store = createSqliteStore(file)
    stores.push(store)
    expect(userVersion(file)).toBe(SCHEMA_VERSION)
    expect(await store.tallies('valg')).toEqual({
      total: 2,
      tallies: { nei: 2 },
      distinct: 1,
    })
    expect(await store.vote('valg', 'voter-d', ['ja'])).toBe('stored')
    expect(await store.vote('valg', 'voter-e', ['ja'])).toBe('stored')
    expect(await store.tallies('valg')).toEqual({
      total: 3,
      tallies: { ja: 2, nei: 1 },
      distinct: 2,
    })
    // «Hent tilbake» brings back voter b and c, set aside in the first round.
    expect(await store.restoreVotes('valg')).toBe(2)
    expect(await store.tallies('valg')).toEqual({
      total: 5,
      tallies: { ja: 4, nei: 1 },
      distinct: 2,
    })
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

/** A version-1 database as big as a long day of talks, written with version 1's own tables. */
function bigVersion1Database(file: string, voters: number): void {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.exec(`
    CREATE TABLE votes (poll_id TEXT NOT NULL, voter_id TEXT NOT NULL, voted_at INTEGER NOT NULL, PRIMARY KEY (poll_id, voter_id)) WITHOUT ROWID;
    CREATE TABLE vote_items (poll_id TEXT NOT NULL, voter_id TEXT NOT NULL, item TEXT NOT NULL, PRIMARY KEY (poll_id, voter_id, item),
      FOREIGN KEY (poll_id, voter_id) REFERENCES votes (poll_id, voter_id) ON DELETE CASCADE) WITHOUT ROWID;
    CREATE INDEX vote_items_by_item ON vote_items (poll_id, item);
    CREATE TABLE poll_state (poll_id TEXT NOT NULL PRIMARY KEY, state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
      revealed INTEGER NOT NULL DEFAULT 0, opened_at INTEGER, closed_at INTEGER) WITHOUT ROWID;
    PRAGMA user_version = 1;`)
  const vote = db.prepare('INSERT INTO votes VALUES (?, ?, ?)')
  const item = db.prepare('INSERT INTO vote_items VALUES (?, ?, ?)')
  db.transaction(() => {
    db.prepare(`INSERT INTO poll_state VALUES ('ord', 'closed', 0, 1700000000000, 1700000600000), ('valg', 'open', 0, 1700000000000, NULL)`).run()
    for (let index = 0; index < voters; index++) {
      vote.run('ord', `voter-${index}`, 1700000000000 + index)
      item.run('ord', `voter-${index}`, `ord-${index % 5000}`)
      vote.run('valg', `voter-${index}`, 1700000000000 + index)
      item.run('valg', `voter-${index}`, ['ja', 'nei', 'delvis'][index % 3]!)
    }
  })()
  db.close()
}

function logSize(file: string): number {
  try {
    return statSync(`${file}-wal`).size
  }
  catch {
    return 0
  }
}

/**
 * Starts `npm start`'s server on the file and SIGKILLs it the moment its write-ahead log holds `logBytes`: the
 * migration is the first thing that writes, in one transaction, so the kill lands inside it. The log is watched in a
 * tight synchronous loop, so a busy test runner cannot miss the migration's half second.
 */
async function killInsideMigration(file: string, logBytes: number): Promise<void> {
  const child = spawn(process.execPath, ['server/main.ts'], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      PORT: '0',
      POLL_DB: file,
      POLL_SNAPSHOT: join(dirname(file), 'poll-results.json'),
      POLL_TOKEN: 'migration-test-token-0123456789',
      DIST_DIR: join(dirname(file), 'dist'),
    },
    stdio: 'ignore',
  })
  const exited = new Promise(resolve => child.once('exit', resolve))
  const pause = new Int32Array(new SharedArrayBuffer(4))
  const deadline = Date.now() + 30_000
  while (logSize(file) < logBytes && Date.now() < deadline)
    Atomics.wait(pause, 0, 0, 1)
  child.kill('SIGKILL')
  await exited
}

describe('a crash during the migration', () => {
  it('leaves the old version or the new one, never half, and the next start migrates it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sqlite-migration-kill-'))
    dirs.push(dir)
    mkdirSync(join(dir, 'dist'))
    writeFileSync(join(dir, 'dist', 'index.html'), '<!doctype html><title>x</title>')
    const file = join(dir, 'polls.sqlite')
    bigVersion1Database(file, 60_000)

    // Killed early and late in the migration's transaction: version 1 stays whole each time.
    for (const logBytes of [1, 1_000_000]) {
      await killInsideMigration(file, logBytes)
      expect(logSize(file)).toBeGreaterThanOrEqual(logBytes)
      expect(userVersion(file), `killed when the log held ${logSize(file)} bytes`).toBe(1)
      const db = new Database(file, { readonly: true })
      expect(db.prepare('SELECT count(*) AS n FROM votes').get()).toEqual({ n: 120_000 })
      expect(db.prepare('SELECT count(*) AS n FROM vote_items').get()).toEqual({ n: 120_000 })
      db.close()
    }

    const store = createSqliteStore(file)
    stores.push(store)
    expect(userVersion(file)).toBe(SCHEMA_VERSION)
    expect(await store.tallies('valg')).toEqual({
      total: 60_000,
      tallies: { ja: 20_000, nei: 20_000, delvis: 20_000 },
      distinct: 3,
    })
    const words = await store.tallies('ord', { limit: 3 })
    expect(words).toMatchObject({ total: 60_000, distinct: 5000 })
    expect(Object.values(words.tallies)).toEqual([12, 12, 12])
    expect(await store.sessions()).toEqual([
      {
        id: 1,
        name: dateLabel(1700000000000),
        startedAt: 1700000000000,
      },
    ])
  }, 120_000)
})
