import type { BatchOutcome, StateRow, VoteInput, WriterReply, WriterRequest } from './sqlite-schema.ts'
import type { PollStateRecord, PollStore, PollTallies, StoreChange, VoteOutcome } from './types.ts'
import { Worker } from 'node:worker_threads'
import { openDatabase, toRecord } from './sqlite-schema.ts'
import { notify } from './types.ts'

interface PendingVote extends VoteInput {
  resolve: (outcome: VoteOutcome) => void
  reject: (error: Error) => void
}

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
  const selectState = db.prepare<[string], StateRow>('SELECT * FROM poll_state WHERE poll_id = ?')
  const selectAllStates = db.prepare<[], StateRow>('SELECT * FROM poll_state')
  const countVoters = db.prepare<[string], { total: number }>('SELECT COUNT(*) AS total FROM votes WHERE poll_id = ?')
  const countItems = db.prepare<[string], { item: string, count: number }>(
    'SELECT item, COUNT(*) AS count FROM vote_items WHERE poll_id = ? GROUP BY item',
  )
  const readTallies = db.transaction((pollId: string): PollTallies => {
    const tallies: Record<string, number> = {}
    for (const { item, count } of countItems.all(pollId))
      tallies[item] = count
    return { total: countVoters.get(pollId)?.total ?? 0, tallies }
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

  let queue: PendingVote[] = []
  let batchInFlight = false
  let pumpScheduled = false

  function sendNextBatch(): void {
    pumpScheduled = false
    if (batchInFlight || queue.length === 0)
      return
    const batch = queue
    queue = []
    batchInFlight = true
    const votes = batch.map(({ pollId, voter, items }) => ({ pollId, voter, items }))
    call({ type: 'votes', votes }).then(
      (reply) => {
        const outcomes = reply.result as BatchOutcome[]
        batch.forEach((vote, index) => {
          const outcome = outcomes[index]
          if (outcome === 'stored' || outcome === 'closed') {
            if (outcome === 'stored')
              announce({ kind: 'votes', pollId: vote.pollId })
            vote.resolve(outcome)
          }
          else {
            vote.reject(new Error(outcome?.error ?? 'No outcome for vote'))
          }
        })
      },
      (error: Error) => batch.forEach(vote => vote.reject(error)),
    ).finally(() => {
      batchInFlight = false
      sendNextBatch()
    })
  }

  function ensureUsable(): void {
    if (closing)
      throw new Error('The poll store is closed.')
    if (failure)
      throw failure
  }

  return {
    vote(pollId, voter, items) {
      return new Promise((resolve, reject) => {
        ensureUsable()
        queue.push({
          pollId,
          voter,
          items: [...items],
          resolve,
          reject,
        })
        // Everything arriving in this turn of the event loop joins the same batch.
        if (!batchInFlight && !pumpScheduled) {
          pumpScheduled = true
          setImmediate(sendNextBatch)
        }
      })
    },

    async clearVotes(pollId) {
      ensureUsable()
      await call({ type: 'clear', pollId })
      announce({ kind: 'votes', pollId })
    },

    async getState(pollId) {
      ensureUsable()
      return toRecord(selectState.get(pollId))
    },

    async setState(pollId, patch) {
      ensureUsable()
      const state = (await call({ type: 'state', pollId, patch })).result as PollStateRecord
      announce({ kind: 'state', pollId })
      return state
    },

    async allStates() {
      ensureUsable()
      return new Map(selectAllStates.all().map(row => [
        row.poll_id,
        toRecord(row),
      ]))
    },

    async tallies(pollId) {
      ensureUsable()
      return readTallies(pollId)
    },

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
