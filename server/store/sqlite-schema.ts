import type { PollStateRecord, StatePatch, VoteOutcome } from './types.ts'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { INITIAL_STATE } from './types.ts'

/** The schema this code writes; a database stamped with a newer one (PRAGMA user_version) is left untouched. */
export const SCHEMA_VERSION = 1

/**
 * Migrations by the version they bring a database to. Version 1 is the first schema; databases written before
 * versioning (user_version 0) already have exactly its tables, which `IF NOT EXISTS` leaves as they are.
 */
const MIGRATIONS: Record<number, string> = {
  1: `
CREATE TABLE IF NOT EXISTS votes (
  poll_id  TEXT    NOT NULL,
  voter_id TEXT    NOT NULL,
  voted_at INTEGER NOT NULL,
  PRIMARY KEY (poll_id, voter_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS vote_items (
  poll_id  TEXT NOT NULL,
  voter_id TEXT NOT NULL,
  item     TEXT NOT NULL,
  PRIMARY KEY (poll_id, voter_id, item),
  FOREIGN KEY (poll_id, voter_id) REFERENCES votes (poll_id, voter_id) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS vote_items_by_item ON vote_items (poll_id, item);

CREATE TABLE IF NOT EXISTS poll_state (
  poll_id   TEXT    NOT NULL PRIMARY KEY,
  state     TEXT    NOT NULL CHECK (state IN ('open', 'closed')),
  revealed  INTEGER NOT NULL DEFAULT 0,
  opened_at INTEGER,
  closed_at INTEGER
) WITHOUT ROWID;
`,
}

export interface StateRow {
  poll_id: string
  state: 'open' | 'closed'
  revealed: number
  opened_at: number | null
  closed_at: number | null
}

export interface VoteInput {
  pollId: string
  voter: string
  items: readonly string[]
}

/** Messages to the writer thread; each is answered by a WriterReply with the same id. */
export type WriterRequest
  = | { id: number, type: 'votes', votes: VoteInput[] }
    | { id: number, type: 'clear', pollId: string }
    | { id: number, type: 'state', pollId: string, patch: StatePatch }
    | { id: number, type: 'close' }

/** Per vote: its outcome, or the message of the error that kept it from being stored. */
export type BatchOutcome = VoteOutcome | { error: string }

export type WriterReply
  = | { id: number, ok: true, result?: BatchOutcome[] | PollStateRecord }
    | { id: number, ok: false, error: string }

/** Opens (and if needed creates) the poll database in WAL mode with full fsync on every commit. */
export function openDatabase(file: string): Database.Database {
  if (file !== ':memory:')
    mkdirSync(dirname(file), { recursive: true })
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  try {
    migrate(db, file)
  }
  catch (error) {
    db.close()
    throw error
  }
  return db
}

/**
 * Brings the database to SCHEMA_VERSION in one transaction: a crash part-way leaves the old version, which the
 * next start migrates again. The version is read inside the transaction, so a second connection opening at
 * the same time waits and then finds nothing left to do.
 */
function migrate(db: Database.Database, file: string): void {
  db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number
    if (version > SCHEMA_VERSION) {
      throw new Error(`Avstemningsdatabasen ${file} er laget av en nyere versjon (skjema ${version}) enn denne (skjema ${SCHEMA_VERSION}). `
        + 'Den blir ikke endret. Oppdater programmet, eller bruk en annen fil med POLL_DB.')
    }
    for (let next = version + 1; next <= SCHEMA_VERSION; next++)
      db.exec(MIGRATIONS[next]!)
    if (version !== SCHEMA_VERSION)
      db.pragma(`user_version = ${SCHEMA_VERSION}`)
  }).immediate()
}

export function toRecord(row: StateRow | undefined): PollStateRecord {
  if (!row)
    return { ...INITIAL_STATE }
  return {
    state: row.state,
    revealed: row.revealed === 1,
    openedAt: row.opened_at,
    closedAt: row.closed_at,
  }
}
