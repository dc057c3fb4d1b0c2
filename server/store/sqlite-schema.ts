import type { IdeaState } from '../../polls/types.ts'
import type { DeleteSessionOutcome, IdeaRecord, LiftOutcome, PollStateRecord, SessionRecord, SharedIdea, ShareOutcome, StatePatch, VoteOutcome } from './types.ts'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { dateLabel } from '../../polls/format.ts'
import { INITIAL_STATE } from './types.ts'

/** The schema this code writes; a database stamped with a newer one (PRAGMA user_version) is left untouched. */
export const SCHEMA_VERSION = 4

/**
 * Version 1: votes and poll state of one presentation. Databases written before versioning (user_version 0)
 * already have exactly these tables, which `IF NOT EXISTS` leaves as they are.
 */
const VERSION_1 = `
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
`

/**
 * Version 2: sessions. Every row belongs to a session (the newest is current). «Nullstill» starts a new round of a
 * poll instead of deleting: only the current round counts, earlier rounds are the discarded votes. `tallies` keeps
 * each key's count as votes commit, so a word cloud is read ranked from an index instead of counted and sorted on
 * every read; its rowid orders keys by first appearance for the presenter's moderation list.
 */
const VERSION_2 = `
CREATE TABLE sessions (
  id         INTEGER PRIMARY KEY,
  name       TEXT    NOT NULL,
  started_at INTEGER NOT NULL
);

CREATE TABLE session_poll_state (
  session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  poll_id    TEXT    NOT NULL,
  state      TEXT    NOT NULL CHECK (state IN ('open', 'closed')),
  revealed   INTEGER NOT NULL DEFAULT 0,
  opened_at  INTEGER,
  closed_at  INTEGER,
  round      INTEGER NOT NULL DEFAULT 0,
  distinct_items INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (session_id, poll_id)
) WITHOUT ROWID;

CREATE TABLE session_votes (
  session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  poll_id    TEXT    NOT NULL,
  round      INTEGER NOT NULL,
  voter_id   TEXT    NOT NULL,
  voted_at   INTEGER NOT NULL,
  PRIMARY KEY (session_id, poll_id, round, voter_id)
) WITHOUT ROWID;

CREATE INDEX session_votes_by_voter ON session_votes (session_id, poll_id, voter_id, round);

CREATE TABLE session_vote_items (
  session_id INTEGER NOT NULL,
  poll_id    TEXT    NOT NULL,
  round      INTEGER NOT NULL,
  voter_id   TEXT    NOT NULL,
  item       TEXT    NOT NULL,
  PRIMARY KEY (session_id, poll_id, round, voter_id, item),
  FOREIGN KEY (session_id, poll_id, round, voter_id)
    REFERENCES session_votes (session_id, poll_id, round, voter_id) ON DELETE CASCADE ON UPDATE CASCADE
) WITHOUT ROWID;

CREATE TABLE session_tallies (
  id         INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  poll_id    TEXT    NOT NULL,
  round      INTEGER NOT NULL,
  item       TEXT    NOT NULL,
  count      INTEGER NOT NULL,
  UNIQUE (session_id, poll_id, round, item)
);

CREATE INDEX session_tallies_ranked ON session_tallies (session_id, poll_id, round, count DESC, item DESC);

CREATE TABLE session_hidden_items (
  session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  poll_id    TEXT    NOT NULL,
  item       TEXT    NOT NULL,
  PRIMARY KEY (session_id, poll_id, item)
) WITHOUT ROWID;
`

/**
 * Version 3: the idea wall. An idea belongs to a round of a poll like a vote; equal ideas (the same key, normalised
 * as words are) are one. A lift is one voter's for one idea, kept unique by the primary key.
 */
const VERSION_3 = `
CREATE TABLE session_ideas (
  id         INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  poll_id    TEXT    NOT NULL,
  round      INTEGER NOT NULL,
  key        TEXT    NOT NULL,
  text       TEXT    NOT NULL,
  state      TEXT    NOT NULL CHECK (state IN ('pending', 'approved', 'hidden')),
  lifts      INTEGER NOT NULL DEFAULT 0,
  shared_at  INTEGER NOT NULL,
  UNIQUE (session_id, poll_id, round, key)
);

CREATE INDEX session_ideas_ranked ON session_ideas (session_id, poll_id, round, state, lifts DESC, id);

CREATE TABLE session_idea_lifts (
  idea_id  INTEGER NOT NULL REFERENCES session_ideas (id) ON DELETE CASCADE,
  voter_id TEXT    NOT NULL,
  PRIMARY KEY (idea_id, voter_id)
) WITHOUT ROWID;

CREATE INDEX session_idea_lifts_by_voter ON session_idea_lifts (voter_id);
`

/**
 * Version 4: each poll's voters in its current round, kept as votes commit like its tallies. Counting them on every
 * rendering cost a scan of the round's votes (4 ms at 50,000 votes), on the event loop that also takes the votes.
 */
const VERSION_4 = `
ALTER TABLE session_poll_state ADD COLUMN voters INTEGER NOT NULL DEFAULT 0;

UPDATE session_poll_state SET voters = (
  SELECT count(*) FROM session_votes v
  WHERE v.session_id = session_poll_state.session_id AND v.poll_id = session_poll_state.poll_id AND v.round = session_poll_state.round);
`

/** Moves version 1's votes into the first session, named after the day of its first vote. */
function toVersion2(db: Database.Database): void {
  db.exec(VERSION_2)
  const first = db.prepare<[], { at: number | null }>(`
    SELECT coalesce((SELECT min(voted_at) FROM votes), (SELECT min(opened_at) FROM poll_state)) AS at`).get()
  const hasData = db.prepare('SELECT 1 FROM poll_state UNION ALL SELECT 1 FROM votes LIMIT 1').get() !== undefined
  if (hasData) {
    const startedAt = first?.at ?? Date.now()
    db.prepare('INSERT INTO sessions (id, name, started_at) VALUES (1, ?, ?)').run(dateLabel(startedAt), startedAt)
    db.exec(`
      INSERT INTO session_poll_state (session_id, poll_id, state, revealed, opened_at, closed_at)
        SELECT 1, poll_id, state, revealed, opened_at, closed_at FROM poll_state;
      INSERT INTO session_votes (session_id, poll_id, round, voter_id, voted_at)
        SELECT 1, poll_id, 0, voter_id, voted_at - voted_at % 60000 FROM votes;
      INSERT INTO session_vote_items (session_id, poll_id, round, voter_id, item)
        SELECT 1, poll_id, 0, voter_id, item FROM vote_items;
      INSERT INTO session_tallies (session_id, poll_id, round, item, count)
        SELECT 1, poll_id, 0, item, count(*) FROM vote_items GROUP BY poll_id, item ORDER BY poll_id, item;
      INSERT OR IGNORE INTO session_poll_state (session_id, poll_id, state) SELECT DISTINCT 1, poll_id, 'closed' FROM votes;
      UPDATE session_poll_state SET distinct_items =
        (SELECT count(*) FROM session_tallies t WHERE t.session_id = 1 AND t.poll_id = session_poll_state.poll_id);`)
  }
  db.exec(`
    DROP TABLE vote_items;
    DROP TABLE votes;
    DROP TABLE poll_state;`)
}

/** Migrations by the version they bring a database to. */
const MIGRATIONS: Record<number, (db: Database.Database) => void> = {
  1: db => db.exec(VERSION_1),
  2: toVersion2,
  3: db => db.exec(VERSION_3),
  4: db => db.exec(VERSION_4),
}

export interface StateRow {
  poll_id: string
  state: 'open' | 'closed'
  revealed: number
  opened_at: number | null
  closed_at: number | null
  round: number
  distinct_items: number
  voters: number
}

export interface SessionRow {
  id: number
  name: string
  started_at: number
}

/** One write of the many that commit together (group commit): a vote, a shared idea or a lift. */
export type BatchOp
  = | { type: 'vote', pollId: string, voter: string, items: readonly string[], maxDistinct?: number }
    | { type: 'share', pollId: string, voter: string, idea: SharedIdea, state: 'pending' | 'approved', maxDistinct?: number }
    | { type: 'lift', pollId: string, ideaId: number, voter: string, lifted: boolean }

export type BatchResult = VoteOutcome | ShareOutcome | LiftOutcome

/** Messages to the writer thread; each is answered by a WriterReply with the same id. */
export type WriterRequest
  = | { id: number, type: 'batch', ops: BatchOp[] }
    | { id: number, type: 'discard', pollId: string }
    | { id: number, type: 'restore', pollId: string }
    | { id: number, type: 'state', pollId: string, patch: StatePatch }
    | { id: number, type: 'hide', pollId: string, item: string, hidden: boolean }
    | { id: number, type: 'ideaState', pollId: string, ideaId: number, state: IdeaState }
    | { id: number, type: 'startSession', name: string }
    | { id: number, type: 'deleteSession', sessionId: number }
    | { id: number, type: 'close' }

/** Per write: its outcome, or the message of the error that kept it from being stored. */
export type BatchOutcome = BatchResult | { error: string }

export type WriterResult = BatchOutcome[] | PollStateRecord | SessionRecord | DeleteSessionOutcome | IdeaRecord | number | null

export type WriterReply
  = | { id: number, ok: true, result?: WriterResult }
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
      MIGRATIONS[next]!(db)
    if (version !== SCHEMA_VERSION)
      db.pragma(`user_version = ${SCHEMA_VERSION}`)
    // There is always a current session: the first one is named after the day it starts.
    const now = Date.now()
    db.prepare('INSERT INTO sessions (name, started_at) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM sessions)').run(dateLabel(now), now)
  }).immediate()
}

export interface IdeaRow {
  id: number
  text: string
  lifts: number
  state: IdeaState
}

export function toIdea(row: IdeaRow): IdeaRecord {
  return {
    id: row.id,
    text: row.text,
    lifts: row.lifts,
    state: row.state,
  }
}

export function toSession(row: SessionRow): SessionRecord {
  return { id: row.id, name: row.name, startedAt: row.started_at }
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
