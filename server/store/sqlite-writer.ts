/**
 * The SQLite writer thread: every write of the poll database happens here, so the fsync of a commit never
 * blocks the server's event loop. Vote batches arrive as one message and are committed as one transaction.
 * Writes always go to the current session, the newest one.
 */
import type { IdeaState } from '../../polls/types.ts'
import type { BatchOp, BatchOutcome, BatchResult, IdeaRow, SessionRow, StateRow, WriterReply, WriterRequest, WriterResult } from './sqlite-schema.ts'
import type { DeleteSessionOutcome, IdeaRecord, LiftOutcome, PollStateRecord, SessionRecord, ShareOutcome, StatePatch, VoteOutcome } from './types.ts'
import { parentPort, workerData } from 'node:worker_threads'
import { openDatabase, toIdea, toRecord, toSession } from './sqlite-schema.ts'
import { coarseTime } from './types.ts'

const db = openDatabase((workerData as { file: string }).file)

type Key = [session: number, poll: string]
type RoundKey = [session: number, poll: string, round: number]

const currentSession = db.prepare<[], SessionRow>('SELECT * FROM sessions ORDER BY id DESC LIMIT 1')
const selectState = db.prepare<Key, StateRow>('SELECT * FROM session_poll_state WHERE session_id = ? AND poll_id = ?')
const upsertState = db.prepare<[...Key, string, number, number | null, number | null]>(`
  INSERT INTO session_poll_state (session_id, poll_id, state, revealed, opened_at, closed_at) VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (session_id, poll_id) DO UPDATE SET
    state = excluded.state, revealed = excluded.revealed, opened_at = excluded.opened_at, closed_at = excluded.closed_at`)
const nextRound = db.prepare<Key>(`
  UPDATE session_poll_state SET round = round + 1, revealed = 0, distinct_items = 0, voters = 0 WHERE session_id = ? AND poll_id = ?`)
const addDistinct = db.prepare<[number, ...Key]>(`
  UPDATE session_poll_state SET distinct_items = distinct_items + ? WHERE session_id = ? AND poll_id = ?`)

const insertVote = db.prepare<[...RoundKey, string, number]>(`
  INSERT INTO session_votes (session_id, poll_id, round, voter_id, voted_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
const revote = db.prepare<[number, ...RoundKey, string]>(`
  UPDATE session_votes SET voted_at = ? WHERE session_id = ? AND poll_id = ? AND round = ? AND voter_id = ?`)
const addVoter = db.prepare<Key>('UPDATE session_poll_state SET voters = voters + 1 WHERE session_id = ? AND poll_id = ?')
const selectItems = db.prepare<[...RoundKey, string], { item: string }>(`
  SELECT item FROM session_vote_items WHERE session_id = ? AND poll_id = ? AND round = ? AND voter_id = ?`)
const deleteItems = db.prepare<[...RoundKey, string]>(`
  DELETE FROM session_vote_items WHERE session_id = ? AND poll_id = ? AND round = ? AND voter_id = ?`)
const insertItem = db.prepare<[...RoundKey, string, string]>(`
  INSERT INTO session_vote_items (session_id, poll_id, round, voter_id, item) VALUES (?, ?, ?, ?, ?)`)
const tallyOf = db.prepare<[...RoundKey, string], { count: number }>(`
  SELECT count FROM session_tallies WHERE session_id = ? AND poll_id = ? AND round = ? AND item = ?`)
const countItem = db.prepare<[...RoundKey, string, number]>(`
  INSERT INTO session_tallies (session_id, poll_id, round, item, count) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (session_id, poll_id, round, item) DO UPDATE SET count = count + excluded.count`)

/** Each voter's newest discarded vote, where the voter has not voted in the current round. */
const restorable = db.prepare<[{ session: number, poll: string, round: number }], { voter_id: string, round: number }>(`
  SELECT voter_id, max(round) AS round FROM session_votes
  WHERE session_id = @session AND poll_id = @poll AND round < @round
    AND voter_id NOT IN (SELECT voter_id FROM session_votes WHERE session_id = @session AND poll_id = @poll AND round = @round)
  GROUP BY voter_id`)
const moveVote = db.prepare<[number, ...RoundKey, string]>(`
  UPDATE session_votes SET round = ? WHERE session_id = ? AND poll_id = ? AND round = ? AND voter_id = ?`)
const forgetTallies = db.prepare<Key>('DELETE FROM session_tallies WHERE session_id = ? AND poll_id = ?')
const recountTallies = db.prepare<Key>(`
  INSERT INTO session_tallies (session_id, poll_id, round, item, count)
  SELECT session_id, poll_id, round, item, count(*) FROM session_vote_items WHERE session_id = ? AND poll_id = ?
  GROUP BY round, item ORDER BY round, item`)
const recountRound = db.prepare<[{ session: number, poll: string, round: number }]>(`
  UPDATE session_poll_state SET
    distinct_items = (SELECT count(*) FROM session_tallies t
      WHERE t.session_id = @session AND t.poll_id = @poll AND t.round = @round AND t.count > 0),
    voters = (SELECT count(*) FROM session_votes v WHERE v.session_id = @session AND v.poll_id = @poll AND v.round = @round)
  WHERE session_id = @session AND poll_id = @poll`)

const hideItem = db.prepare<[...Key, string]>('INSERT OR IGNORE INTO session_hidden_items (session_id, poll_id, item) VALUES (?, ?, ?)')
const showItem = db.prepare<[...Key, string]>('DELETE FROM session_hidden_items WHERE session_id = ? AND poll_id = ? AND item = ?')

const ideaByKey = db.prepare<[...RoundKey, string], IdeaRow>(`
  SELECT id, text, lifts, state FROM session_ideas WHERE session_id = ? AND poll_id = ? AND round = ? AND key = ?`)
const ideaById = db.prepare<[...RoundKey, number], IdeaRow>(`
  SELECT id, text, lifts, state FROM session_ideas WHERE session_id = ? AND poll_id = ? AND round = ? AND id = ?`)
const countIdeas = db.prepare<RoundKey, { count: number }>(`
  SELECT count(*) AS count FROM session_ideas WHERE session_id = ? AND poll_id = ? AND round = ?`)
const insertIdea = db.prepare<[...RoundKey, string, string, string, number], IdeaRow>(`
  INSERT INTO session_ideas (session_id, poll_id, round, key, text, state, shared_at) VALUES (?, ?, ?, ?, ?, ?, ?)
  RETURNING id, text, lifts, state`)
const insertLift = db.prepare<[number, string]>('INSERT OR IGNORE INTO session_idea_lifts (idea_id, voter_id) VALUES (?, ?)')
const deleteLift = db.prepare<[number, string]>('DELETE FROM session_idea_lifts WHERE idea_id = ? AND voter_id = ?')
const addLifts = db.prepare<[number, number]>('UPDATE session_ideas SET lifts = lifts + ? WHERE id = ?')
const updateIdeaState = db.prepare<[IdeaState, ...RoundKey, number], IdeaRow>(`
  UPDATE session_ideas SET state = ? WHERE session_id = ? AND poll_id = ? AND round = ? AND id = ? RETURNING id, text, lifts, state`)
/** The newest set-aside idea of each key that the current round does not have. */
const restorableIdeas = db.prepare<[{ session: number, poll: string, round: number }], { id: number }>(`
  SELECT max(id) AS id FROM session_ideas
  WHERE session_id = @session AND poll_id = @poll AND round < @round
    AND key NOT IN (SELECT key FROM session_ideas WHERE session_id = @session AND poll_id = @poll AND round = @round)
  GROUP BY key`)
const moveIdea = db.prepare<[number, number]>('UPDATE session_ideas SET round = ? WHERE id = ?')

const insertSession = db.prepare<[string, number], SessionRow>('INSERT INTO sessions (name, started_at) VALUES (?, ?) RETURNING *')
const deleteSessionRow = db.prepare<[number]>('DELETE FROM sessions WHERE id = ?')

function sessionId(): number {
  return currentSession.get()!.id
}

/** Moves a voter's tally keys by `delta` (+1 counted, -1 taken back), keeping the poll's count of distinct keys. */
function count(key: RoundKey, items: readonly string[], delta: 1 | -1): void {
  let distinctChange = 0
  for (const item of items) {
    const before = tallyOf.get(...key, item)?.count ?? 0
    countItem.run(...key, item, delta)
    if (before === 0 && delta === 1)
      distinctChange++
    else if (before === 1 && delta === -1)
      distinctChange--
  }
  if (distinctChange !== 0)
    addDistinct.run(distinctChange, key[0], key[1])
}

/** The poll's state in the session, if it is open: writes from phones go only to open polls. */
function openRound(session: number, pollId: string): StateRow | undefined {
  const state = selectState.get(session, pollId)
  return state?.state === 'open'
    ? state
    : undefined
}

function storeVote(session: number, vote: Extract<BatchOp, { type: 'vote' }>, now: number): VoteOutcome {
  const state = openRound(session, vote.pollId)
  if (!state)
    return 'closed'
  const key: RoundKey = [session, vote.pollId, state.round]
  const before = selectItems.all(...key, vote.voter).map(row => row.item)
  const added = vote.items.filter(item => (tallyOf.get(...key, item)?.count ?? 0) === 0 && !before.includes(item))
  if (vote.maxDistinct !== undefined && added.length > 0 && state.distinct_items + added.length > vote.maxDistinct)
    return 'full'
  // The primary key decides whether this voter is new to the round; only a new one is counted.
  if (insertVote.run(...key, vote.voter, coarseTime(now)).changes > 0)
    addVoter.run(session, vote.pollId)
  else
    revote.run(coarseTime(now), ...key, vote.voter)
  count(key, before, -1)
  deleteItems.run(...key, vote.voter)
  for (const item of vote.items)
    insertItem.run(...key, vote.voter, item)
  count(key, vote.items, 1)
  return 'stored'
}

/** Lifts an idea for a voter once: the primary key keeps a second lift out, and only a new row counts. */
function lift(ideaId: number, voter: string): boolean {
  const added = insertLift.run(ideaId, voter).changes > 0
  if (added)
    addLifts.run(1, ideaId)
  return added
}

function shareIdea(session: number, op: Extract<BatchOp, { type: 'share' }>, now: number): ShareOutcome {
  const state = openRound(session, op.pollId)
  if (!state)
    return { outcome: 'closed' }
  const key: RoundKey = [session, op.pollId, state.round]
  const existing = ideaByKey.get(...key, op.idea.key)
  if (existing) {
    lift(existing.id, op.voter)
    return {
      outcome: 'joined',
      idea: toIdea(ideaById.get(...key, existing.id)!),
    }
  }
  if (op.maxDistinct !== undefined && countIdeas.get(...key)!.count >= op.maxDistinct)
    return { outcome: 'full' }
  const idea = insertIdea.get(...key, op.idea.key, op.idea.text, op.state, coarseTime(now))!
  lift(idea.id, op.voter)
  return {
    outcome: 'shared',
    idea: {
      ...toIdea(idea),
      lifts: 1,
    },
  }
}

function liftIdea(session: number, op: Extract<BatchOp, { type: 'lift' }>): LiftOutcome {
  const state = openRound(session, op.pollId)
  if (!state)
    return 'closed'
  const idea = ideaById.get(session, op.pollId, state.round, op.ideaId)
  if (idea?.state !== 'approved')
    return 'unknown'
  if (op.lifted) {
    return lift(idea.id, op.voter)
      ? 'lifted'
      : 'already'
  }
  const removed = deleteLift.run(idea.id, op.voter).changes > 0
  if (removed)
    addLifts.run(-1, idea.id)
  return removed ? 'withdrawn' : 'not-lifted'
}

/** Each write in its own savepoint: a failing one is undone without undoing the rest of the batch. */
const storeOne = db.transaction((session: number, op: BatchOp, now: number): BatchResult => {
  switch (op.type) {
    case 'vote':
      return storeVote(session, op, now)
    case 'share':
      return shareIdea(session, op, now)
    case 'lift':
      return liftIdea(session, op)
  }
})

const storeBatch = db.transaction((ops: BatchOp[]): BatchOutcome[] => {
  const now = Date.now()
  const session = sessionId()
  return ops.map((op) => {
    try {
      return storeOne(session, op, now)
    }
    catch (error) {
      return {
        error: error instanceof Error
          ? error.message
          : String(error),
      }
    }
  })
})

const setState = db.transaction((pollId: string, patch: StatePatch): PollStateRecord => {
  const session = sessionId()
  const next = toRecord(selectState.get(session, pollId))
  const now = Date.now()
  if (patch.state === 'open' && next.state !== 'open')
    Object.assign(next, { state: 'open', openedAt: now })
  if (patch.state === 'closed' && next.state !== 'closed')
    Object.assign(next, { state: 'closed', closedAt: now })
  if (patch.revealed !== undefined)
    next.revealed = patch.revealed
  upsertState.run(session, pollId, next.state, next.revealed ? 1 : 0, next.openedAt, next.closedAt)
  return next
})

const discard = db.transaction((pollId: string): void => {
  nextRound.run(sessionId(), pollId)
})

const restore = db.transaction((pollId: string): number => {
  const session = sessionId()
  const state = selectState.get(session, pollId)
  if (!state)
    return 0
  const found = restorable.all({ session, poll: pollId, round: state.round })
  for (const { voter_id, round } of found)
    moveVote.run(state.round, session, pollId, round, voter_id)
  if (found.length > 0) {
    forgetTallies.run(session, pollId)
    recountTallies.run(session, pollId)
    recountRound.run({ session, poll: pollId, round: state.round })
  }
  // An idea comes back with its lifts (they belong to it), unless the same idea was shared again since.
  const ideas = restorableIdeas.all({ session, poll: pollId, round: state.round })
  for (const { id } of ideas)
    moveIdea.run(state.round, id)
  return found.length + ideas.length
})

const setHidden = db.transaction((pollId: string, item: string, hidden: boolean): void => {
  (hidden ? hideItem : showItem).run(sessionId(), pollId, item)
})

const setIdeaState = db.transaction((pollId: string, ideaId: number, state: IdeaState): IdeaRecord | null => {
  const session = sessionId()
  const round = selectState.get(session, pollId)?.round ?? 0
  const idea = updateIdeaState.get(state, session, pollId, round, ideaId)
  return idea
    ? toIdea(idea)
    : null
})

const startSession = db.transaction((name: string): SessionRecord => toSession(insertSession.get(name, Date.now())!))

const deleteSession = db.transaction((id: number): DeleteSessionOutcome => {
  if (id === sessionId())
    return 'current'
  return deleteSessionRow.run(id).changes > 0
    ? 'deleted'
    : 'unknown'
})

function perform(request: WriterRequest): WriterResult | undefined {
  switch (request.type) {
    case 'batch':
      return storeBatch(request.ops)
    case 'discard':
      discard(request.pollId)
      return undefined
    case 'restore':
      return restore(request.pollId)
    case 'state':
      return setState(request.pollId, request.patch)
    case 'hide':
      setHidden(request.pollId, request.item, request.hidden)
      return undefined
    case 'ideaState':
      return setIdeaState(request.pollId, request.ideaId, request.state)
    case 'startSession':
      return startSession(request.name)
    case 'deleteSession':
      return deleteSession(request.sessionId)
    case 'close':
      db.close()
      return undefined
  }
}

parentPort!.on('message', (request: WriterRequest) => {
  let reply: WriterReply
  try {
    reply = {
      id: request.id,
      ok: true,
      result: perform(request),
    }
  }
  catch (error) {
    reply = {
      id: request.id,
      ok: false,
      error: error instanceof Error
        ? error.message
        : String(error),
    }
  }
  parentPort!.postMessage(reply)
  if (request.type === 'close')
    parentPort!.close()
})
