import type { BatchOutcome, StateRow, VoteInput, WriterReply, WriterRequest } from './sqlite-schema.ts'
/**
 * The SQLite writer thread: every write of the poll database happens here, so the fsync of a commit never
 * blocks the server's event loop. Vote batches arrive as one message and are committed as one transaction.
 */
import type { PollStateRecord, VoteOutcome } from './types.ts'
import { parentPort, workerData } from 'node:worker_threads'
import { openDatabase, toRecord } from './sqlite-schema.ts'

const db = openDatabase((workerData as { file: string }).file)

const selectState = db.prepare<[string], StateRow>('SELECT * FROM poll_state WHERE poll_id = ?')
const upsertState = db.prepare<[string, string, number, number | null, number | null]>(`
  INSERT INTO poll_state (poll_id, state, revealed, opened_at, closed_at) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (poll_id) DO UPDATE SET
    state = excluded.state, revealed = excluded.revealed, opened_at = excluded.opened_at, closed_at = excluded.closed_at`)
const isOpen = db.prepare<[string], { open: number }>(`SELECT 1 AS open FROM poll_state WHERE poll_id = ? AND state = 'open'`)
const upsertVote = db.prepare<[string, string, number]>(`
  INSERT INTO votes (poll_id, voter_id, voted_at) VALUES (?, ?, ?)
  ON CONFLICT (poll_id, voter_id) DO UPDATE SET voted_at = excluded.voted_at`)
const deleteItems = db.prepare<[string, string]>('DELETE FROM vote_items WHERE poll_id = ? AND voter_id = ?')
const insertItem = db.prepare<[string, string, string]>('INSERT INTO vote_items (poll_id, voter_id, item) VALUES (?, ?, ?)')
const deleteVotes = db.prepare<[string]>('DELETE FROM votes WHERE poll_id = ?')

/** One vote in its own savepoint: a failing vote is undone without undoing the rest of the batch. */
const storeVote = db.transaction((vote: VoteInput, now: number): VoteOutcome => {
  if (!isOpen.get(vote.pollId))
    return 'closed'
  upsertVote.run(vote.pollId, vote.voter, now)
  deleteItems.run(vote.pollId, vote.voter)
  for (const item of vote.items)
    insertItem.run(vote.pollId, vote.voter, item)
  return 'stored'
})

const storeBatch = db.transaction((votes: VoteInput[]): BatchOutcome[] => {
  const now = Date.now()
  return votes.map((vote) => {
    try {
      return storeVote(vote, now)
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

const setState = db.transaction((pollId: string, patch: { state?: 'open' | 'closed', revealed?: boolean }): PollStateRecord => {
  const next = toRecord(selectState.get(pollId))
  const now = Date.now()
  if (patch.state === 'open' && next.state !== 'open')
    Object.assign(next, { state: 'open', openedAt: now })
  if (patch.state === 'closed' && next.state !== 'closed')
    Object.assign(next, { state: 'closed', closedAt: now })
  if (patch.revealed !== undefined)
    next.revealed = patch.revealed
  upsertState.run(pollId, next.state, next.revealed ? 1 : 0, next.openedAt, next.closedAt)
  return next
})

function handle(request: WriterRequest): WriterReply {
  switch (request.type) {
    case 'votes':
      return {
        id: request.id,
        ok: true,
        result: storeBatch(request.votes),
      }
    case 'clear':
      deleteVotes.run(request.pollId)
      return { id: request.id, ok: true }
    case 'state':
      return {
        id: request.id,
        ok: true,
        result: setState(request.pollId, request.patch),
      }
    case 'close':
      db.close()
      return { id: request.id, ok: true }
  }
}

parentPort!.on('message', (request: WriterRequest) => {
  let reply: WriterReply
  try {
    reply = handle(request)
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
