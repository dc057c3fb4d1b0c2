import type { IdeaState } from '../../polls/types.ts'
import type { BatchOp, BatchOutcome, BatchResult, IdeaRow, SessionRow, StateRow, WriterReply, WriterRequest } from './sqlite-schema.ts'
import type { DeleteSessionOutcome, IdeaRecord, LiftOutcome, PollStateRecord, PollStore, PollTallies, SessionRecord, ShareOutcome, StoreChange, TallyQuery, VoteOutcome } from './types.ts'
import { Worker } from 'node:worker_threads'
import { createPendingWrites } from './pending-writes.ts'
import { openDatabase, toIdea, toRecord, toSession } from './sqlite-schema.ts'
import { notify } from './types.ts'

interface PendingWrite {
  op: BatchOp
  resolve: (outcome: BatchResult) => void
  reject: (error: Error) => void
}

/** Whether a write's outcome changed what listeners see. */
function changedAnything(outcome: BatchResult): boolean {
  return typeof outcome === 'string'
    ? outcome === 'stored' || outcome === 'lifted' || outcome === 'withdrawn'
    : outcome.outcome === 'shared' || outcome.outcome === 'joined'
}

/** Named parameters of the queries about one round of a poll. */
interface RoundQuery { session: number, poll: string, round: number }
interface RankQuery extends RoundQuery { limit: number }

type WriterCall = WriterRequest extends infer Request ? Request extends { id: number } ? Omit<Request, 'id'> : never : never

/**
 * SQLite (better-sqlite3) in WAL mode with synchronous=FULL: a vote is acknowledged only after its commit
 * reached the disk. Writes run in one writer thread (sqlite-writer.ts) so an fsync never stalls the event
 * loop; reads run here on a second connection and see every acknowledged commit.
 *
 * Group commit: while one batch of votes is being committed, newly arriving votes wait in a queue and go
 * to the writer together as the next batch, in one transaction and one fsync. Busier means bigger batches,
 * not slower commits.
 */
export function createSqliteStore(file: string): PollStore {
  const db = openDatabase(file)
  const current = db.prepare<[], SessionRow>('SELECT * FROM sessions ORDER BY id DESC LIMIT 1')
  const allSessions = db.prepare<[], SessionRow>('SELECT * FROM sessions ORDER BY id')
  const selectState = db.prepare<[number, string], StateRow>('SELECT * FROM session_poll_state WHERE session_id = ? AND poll_id = ?')
  const selectAllStates = db.prepare<[number], StateRow>('SELECT * FROM session_poll_state WHERE session_id = ?')
  // Ranked by the index on (…, count DESC, item DESC): a word cloud's top keys without counting or sorting every
  // word. Ties go in reverse code-point order, as in Redis's sorted sets, so both stores cut the same list.
  const rankedItems = db.prepare<[RankQuery], { item: string, count: number }>(`
    SELECT item, count FROM session_tallies t
    WHERE session_id = @session AND poll_id = @poll AND round = @round AND count > 0
      AND NOT EXISTS (SELECT 1 FROM session_hidden_items h WHERE h.session_id = @session AND h.poll_id = @poll AND h.item = t.item)
    ORDER BY count DESC, item DESC LIMIT @limit`)
  const recent = db.prepare<[RankQuery], { item: string, count: number, hidden: number }>(`
    SELECT item, count, EXISTS (SELECT 1 FROM session_hidden_items h WHERE h.session_id = @session AND h.poll_id = @poll AND h.item = t.item) AS hidden
    FROM session_tallies t WHERE session_id = @session AND poll_id = @poll AND round = @round AND count > 0
    ORDER BY id DESC LIMIT @limit`)
  const discarded = db.prepare<[RoundQuery], { voters: number }>(`
    SELECT count(DISTINCT voter_id) AS voters FROM session_votes
    WHERE session_id = @session AND poll_id = @poll AND round < @round
      AND voter_id NOT IN (SELECT voter_id FROM session_votes WHERE session_id = @session AND poll_id = @poll AND round = @round)`)

  const sessionOf = (session?: number) => session ?? current.get()!.id
  const readTallies = db.transaction((pollId: string, query: TallyQuery): PollTallies => {
    const session = sessionOf(query.session)
    const state = selectState.get(session, pollId)
    if (!state)
      return { total: 0, tallies: {}, distinct: 0 }
    const tallies: Record<string, number> = {}
    for (const { item, count } of rankedItems.all({
      session,
      poll: pollId,
      round: state.round,
      limit: query.limit ?? -1,
    }))
      tallies[item] = count
    return {
      total: state.voters,
      tallies,
      distinct: state.distinct_items,
    }
  })

  const ideasIn = db.prepare<[RoundQuery], IdeaRow>(`
    SELECT id, text, lifts, state FROM session_ideas WHERE session_id = @session AND poll_id = @poll AND round = @round
    ORDER BY lifts DESC, id`)
  const people = db.prepare<[RoundQuery], { people: number }>(`
    SELECT count(DISTINCT voter_id) AS people FROM session_idea_lifts l JOIN session_ideas i ON i.id = l.idea_id
    WHERE i.session_id = @session AND i.poll_id = @poll AND i.round = @round`)
  const discardedIdeas = db.prepare<[RoundQuery], { ideas: number }>(`
    SELECT count(DISTINCT key) AS ideas FROM session_ideas WHERE session_id = @session AND poll_id = @poll AND round < @round
      AND key NOT IN (SELECT key FROM session_ideas WHERE session_id = @session AND poll_id = @poll AND round = @round)`)
  const readIdeaWall = db.transaction((session: number, pollId: string, states: readonly IdeaState[]) => {
    const round = selectState.get(session, pollId)?.round ?? 0
    const query = { session, poll: pollId, round }
    const all = ideasIn.all(query).map(toIdea)
    return {
      ideas: all.filter(idea => states.includes(idea.state)),
      people: people.get(query)?.people ?? 0,
      pending: all.filter(idea => idea.state === 'pending').length,
      discarded: round > 0
        ? discardedIdeas.get(query)?.ideas ?? 0
        : 0,
    }
  })

  const writer = new Worker(new URL('./sqlite-writer.ts', import.meta.url), {
    workerData: { file },
  })
  const calls = new Map<number, { resolve: (reply: WriterReply & { ok: true }) => void, reject: (error: Error) => void }>()
  let nextId = 1
  let failure: Error | undefined
  let closing: Promise<void> | undefined

  function fail(error: Error): void {
    failure ??= error
    for (const call of calls.values())
      call.reject(error)
    calls.clear()
  }

  writer.on('message', (reply: WriterReply) => {
    const call = calls.get(reply.id)
    calls.delete(reply.id)
    if (reply.ok)
      call?.resolve(reply)
    else
      call?.reject(new Error(reply.error))
  })
  writer.on('error', error => fail(error))
  writer.on('exit', code => fail(new Error(`The SQLite writer thread stopped (exit code ${code}).`)))

  function call(request: WriterCall): Promise<WriterReply & { ok: true }> {
    if (failure)
      return Promise.reject(failure)
    const id = nextId++
    return new Promise((resolve, reject) => {
      calls.set(id, { resolve, reject })
      writer.postMessage({ ...request, id })
    })
  }

  // One process owns the file, so its own writes are all the changes there are.
  const listeners = new Set<(change: StoreChange) => void>()
  const announce = (change: StoreChange) => listeners.forEach(listener => notify(listener, change))

  const pendingWrites = createPendingWrites()
  let queue: PendingWrite[] = []
  let batchInFlight = false
  let pumpScheduled = false

  function sendNextBatch(): void {
    pumpScheduled = false
    if (batchInFlight || queue.length === 0)
      return
    const batch = queue
    queue = []
    batchInFlight = true
    call({
      type: 'batch',
      ops: batch.map(write => write.op),
    }).then(
      (reply) => {
        const outcomes = reply.result as BatchOutcome[]
        batch.forEach((write, index) => {
          const outcome = outcomes[index]
          if (outcome === undefined || (typeof outcome === 'object' && 'error' in outcome)) {
            write.reject(new Error(outcome?.error ?? 'No outcome for the write'))
            return
          }
          if (changedAnything(outcome))
            announce({ kind: 'votes', pollId: write.op.pollId })
          write.resolve(outcome)
        })
      },
      (error: Error) => batch.forEach(write => write.reject(error)),
    ).finally(() => {
      batchInFlight = false
      sendNextBatch()
    })
  }

  /** Queues a write for the next batch; everything arriving in this turn of the event loop joins the same one. */
  function write(op: BatchOp): Promise<BatchResult> {
    return pendingWrites.track(new Promise((resolve, reject) => {
      ensureUsable()
      queue.push({ op, resolve, reject })
      if (!batchInFlight && !pumpScheduled) {
        pumpScheduled = true
        setImmediate(sendNextBatch)
      }
    }))
  }

  function ensureUsable(): void {
    if (closing)
      throw new Error('The poll store is closed.')
    if (failure)
      throw failure
  }

  return {
    vote: async (pollId, voter, items, limits) =>
      await write({
        type: 'vote',
        pollId,
        voter,
        items: [...items],
        maxDistinct: limits?.maxDistinct,
      }) as VoteOutcome,

    shareIdea: async (pollId, voter, idea, state, limits) =>
      await write({
        type: 'share',
        pollId,
        voter,
        idea,
        state,
        maxDistinct: limits?.maxDistinct,
      }) as ShareOutcome,

    liftIdea: async (pollId, ideaId, voter, lifted) =>
      await write({
        type: 'lift',
        pollId,
        ideaId,
        voter,
        lifted,
      }) as LiftOutcome,

    async setIdeaState(pollId, ideaId, state) {
      ensureUsable()
      const idea = (await call({
        type: 'ideaState',
        pollId,
        ideaId,
        state,
      })).result as IdeaRecord | null
      if (idea)
        announce({ kind: 'votes', pollId })
      return idea ?? undefined
    },

    async ideaWall(pollId, { session, states }) {
      ensureUsable()
      return readIdeaWall(sessionOf(session), pollId, states)
    },

    async discardVotes(pollId) {
      ensureUsable()
      await call({ type: 'discard', pollId })
      announce({ kind: 'votes', pollId })
    },

    async restoreVotes(pollId) {
      ensureUsable()
      const restored = (await call({ type: 'restore', pollId })).result as number
      if (restored > 0)
        announce({ kind: 'votes', pollId })
      return restored
    },

    async discardedVoters(pollId) {
      ensureUsable()
      const session = sessionOf()
      const state = selectState.get(session, pollId)
      return state
        ? discarded.get({ session, poll: pollId, round: state.round })?.voters ?? 0
        : 0
    },

    async getState(pollId, session) {
      ensureUsable()
      return toRecord(selectState.get(sessionOf(session), pollId))
    },

    async setState(pollId, patch) {
      ensureUsable()
      const state = (await call({ type: 'state', pollId, patch })).result as PollStateRecord
      announce({ kind: 'state', pollId })
      return state
    },

    async allStates(session) {
      ensureUsable()
      return new Map(selectAllStates.all(sessionOf(session)).map(row => [
        row.poll_id,
        toRecord(row),
      ]))
    },

    async tallies(pollId, query = {}) {
      ensureUsable()
      return readTallies(pollId, query)
    },

    async setHidden(pollId, item, hidden) {
      ensureUsable()
      await call({ type: 'hide', pollId, item, hidden })
      announce({ kind: 'votes', pollId })
    },

    async recentItems(pollId, limit) {
      ensureUsable()
      const session = sessionOf()
      const state = selectState.get(session, pollId)
      if (!state)
        return []
      return recent.all({
        session,
        poll: pollId,
        round: state.round,
        limit,
      }).map(row => ({ item: row.item, votes: row.count, hidden: row.hidden === 1 }))
    },

    async currentSession() {
      ensureUsable()
      return toSession(current.get()!)
    },

    async sessions() {
      ensureUsable()
      return allSessions.all().map(toSession)
    },

    async startSession(name) {
      ensureUsable()
      const session = (await call({ type: 'startSession', name })).result as SessionRecord
      announce({ kind: 'session' })
      return session
    },

    async deleteSession(id) {
      ensureUsable()
      const outcome = (await call({ type: 'deleteSession', sessionId: id })).result as DeleteSessionOutcome
      if (outcome === 'deleted')
        announce({ kind: 'session' })
      return outcome
    },

    settled: pendingWrites.settled,

    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },

    close() {
      listeners.clear()
      closing ??= (async () => {
        while (batchInFlight || queue.length > 0) {
          sendNextBatch()
          await new Promise(resolve => setTimeout(resolve, 5))
        }
        if (!failure) {
          const exited = new Promise(resolve => writer.once('exit', resolve))
          await call({ type: 'close' }).catch(() => {})
          await exited
        }
        db.close()
      })()
      return closing
    },
  }
}
