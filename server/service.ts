import type { PollDefinition, PollStatus, QuizAnswers } from '../polls/types.ts'
import type { Vote } from '../polls/vote.ts'
import type { SnapshotWriter } from './snapshot.ts'
import type { PollStore, StatePatch, VoteOutcome } from './store/types.ts'
import { findPoll } from '../polls/catalog.ts'
import { kindOf } from '../polls/kinds/index.ts'
import { currentPollId, readPollStatus } from './status.ts'

export type ServiceResult<T> = { ok: true, value: T } | { ok: false, error: string }

/**
 * What the poll API does, apart from HTTP: the routes in http.ts check the request and call one of these.
 * Listeners hear of every change from the store (see store/types.ts), not from here.
 */
export interface PollService {
  polls: readonly PollDefinition[]
  pollById: (id: string) => PollDefinition | undefined
  status: (poll: PollDefinition) => Promise<PollStatus>
  statuses: () => Promise<PollStatus[]>
  /** The poll the voting page should show now, or null. */
  currentPoll: () => Promise<string | null>
  /** Stores a checked vote, replacing the voter's earlier one; `closed` when the poll is not open. */
  vote: (poll: PollDefinition, vote: Vote) => Promise<VoteOutcome>
  /** Opens, closes or reveals; closing (and revealing a closed quiz) writes the poll's final result to the snapshot. */
  setState: (poll: PollDefinition, patch: StatePatch) => Promise<ServiceResult<PollStatus>>
  /** Removes every vote and hides a quiz's answer again; the snapshot forgets the poll. */
  reset: (poll: PollDefinition) => Promise<PollStatus>
  /** Every answer with its votes, header first: the results download. */
  csv: (poll: PollDefinition) => Promise<(string | number)[][]>
}

export interface PollServiceOptions {
  /** The polls this server runs: the talk's, or a test's fixtures. */
  polls: readonly PollDefinition[]
  /** Their quizzes' answers, which only the server knows until the presenter reveals one. */
  answers: QuizAnswers
  store: PollStore
  snapshot: SnapshotWriter
}

export function createPollService({ polls, answers, store, snapshot }: PollServiceOptions): PollService {
  const answerOf = new Map(Object.entries(answers))
  const status = (poll: PollDefinition) => readPollStatus(store, poll, answerOf.get(poll.id))

  return {
    polls,
    pollById: id => findPoll(polls, id),
    status,
    statuses: () => Promise.all(polls.map(status)),
    currentPoll: async () => currentPollId(polls, await store.allStates()),

    vote: (poll, vote) => store.vote(poll.id, vote.voter, vote.items),

    async setState(poll, patch) {
      if (patch.revealed && !kindOf(poll).revealable)
        return { ok: false, error: 'Bare en quiz har et riktig svar å vise.' }
      const before = await store.getState(poll.id)
      const after = await store.setState(poll.id, patch)
      const now = await status(poll)
      const closing = before.state === 'open' && after.state === 'closed'
      // A quiz is often revealed after it closed: its saved result then gains the answer, for print and export.
      const revealedWhileClosed = after.state === 'closed' && before.revealed !== after.revealed
      if (closing || revealedWhileClosed) {
        await snapshot.record(poll.id, now.total > 0
          ? {
              total: now.total,
              tallies: now.tallies,
              ...(now.correct === undefined
                ? {}
                : { correct: now.correct }),
              closedAt: new Date(after.closedAt ?? Date.now()).toISOString(),
            }
          : null)
      }
      return { ok: true, value: now }
    },

    async reset(poll) {
      await store.clearVotes(poll.id)
      await store.setState(poll.id, { revealed: false })
      await snapshot.record(poll.id, null)
      return status(poll)
    },

    async csv(poll) {
      const { tallies } = await store.tallies(poll.id)
      const rows = kindOf(poll).csvRows(poll, tallies)
      return [
        ['id', 'svar', 'stemmer'],
        ...rows,
      ]
    },
  }
}
