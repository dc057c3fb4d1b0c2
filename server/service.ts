import type { IdeasPoll } from '../polls/kinds/ideas/index.ts'
import type { IdeaState, IdeaStatus, PollDefinition, PollStatus, QuizAnswers, SessionSummary, StatusView } from '../polls/types.ts'
import type { Vote } from '../polls/vote.ts'
import type { Counted, CountQuery } from './poll-counts.ts'
import type { SnapshotWriter } from './snapshot.ts'
import type { DeleteSessionOutcome, ItemRecord, LiftOutcome, PollStore, SessionRecord, SharedIdea, ShareOutcome, StatePatch, VoteOutcome } from './store/types.ts'
import { findPoll } from '../polls/catalog.ts'
import { moderationOf } from '../polls/kinds/ideas/index.ts'
import { kindOf } from '../polls/kinds/index.ts'
import { buildStatus } from '../polls/status.ts'
import { countReaders, ideaStatus } from './poll-counts.ts'
import { currentPollId } from './status.ts'

export type ServiceResult<T> = { ok: true, value: T } | { ok: false, error: string }

/** What «Nullstill» set aside and restoring brought back. */
export interface Restored {
  restored: number
  status: PollStatus
}

/** How many answers the presenter's moderation list shows, newest first. */
const RECENT_ANSWERS = 30

/**
 * What the poll API does, apart from HTTP: the routes in http.ts check the request and call one of these.
 * Listeners hear of every change from the store (see store/types.ts), not from here.
 */
export interface PollService {
  polls: readonly PollDefinition[]
  pollById: (id: string) => PollDefinition | undefined
  /** A poll's status in the current session, or in the session given. */
  status: (poll: PollDefinition, session?: number, presenter?: boolean, view?: StatusView) => Promise<PollStatus>
  /** The poll the voting page should show now, or null. */
  currentPoll: () => Promise<string | null>
  /** Stores a checked vote, replacing the voter's earlier one; `closed` when the poll is not open. */
  vote: (poll: PollDefinition, vote: Vote) => Promise<VoteOutcome>
  /** Opens, closes or reveals; closing (and revealing a closed quiz) writes the poll's final result to the snapshot. */
  setState: (poll: PollDefinition, patch: StatePatch) => Promise<ServiceResult<PollStatus>>
  /** Sets every vote aside (restorable) and hides a quiz's answer again; the snapshot forgets the poll. */
  reset: (poll: PollDefinition) => Promise<PollStatus>
  /** Brings back what resets in the current session set aside (a voter's newer vote wins). */
  restore: (poll: PollDefinition) => Promise<Restored>
  /** Every answer with its votes, header first: the results download of one poll. */
  csv: (poll: PollDefinition, session?: number) => Promise<(string | number)[][]>
  /** Every poll of a session in one table, header first. */
  sessionCsv: (session: number) => Promise<(string | number)[][]>
  session: (id: number) => Promise<SessionRecord | undefined>
  sessions: () => Promise<SessionSummary[]>
  /** Starts a session that becomes current: every poll closed and empty in it. */
  startSession: (name: string) => Promise<SessionSummary>
  deleteSession: (id: number) => Promise<DeleteSessionOutcome>
  /** A free-text poll's answers, newest first, hidden ones included, for the presenter to moderate. */
  recentAnswers: (poll: PollDefinition) => Promise<ItemRecord[]>
  /** Shares an idea (pre-moderated polls: waiting for approval), or lifts the same idea already there. */
  shareIdea: (poll: IdeasPoll, voter: string, idea: SharedIdea) => Promise<ShareOutcome>
  liftIdea: (poll: IdeasPoll, ideaId: number, voter: string, lifted: boolean) => Promise<LiftOutcome>
  /** The presenter approves, hides or sends an idea back to the queue; undefined when there is no such idea. */
  setIdeaState: (poll: IdeasPoll, ideaId: number, state: IdeaState) => Promise<IdeaStatus | undefined>
  /** Hides an answer from slide, phones and CSV (its votes are kept), or shows it again. */
  setHidden: (poll: PollDefinition, answer: string, hidden: boolean) => Promise<ItemRecord[]>
}

export interface PollServiceOptions {
  /** The polls this server runs: the talk's, or a test's fixtures. */
  polls: readonly PollDefinition[]
  /** Their quizzes' answers, which only the server knows until the presenter reveals one. */
  answers: QuizAnswers
  store: PollStore
  snapshot: SnapshotWriter
  /** The most different answers a free-text poll takes (POLL_WORDS_MAX). */
  maxAnswers: number
}

function toSummary(session: SessionRecord, current: boolean, totals: Record<string, number>): SessionSummary {
  return {
    id: session.id,
    name: session.name,
    startedAt: new Date(session.startedAt).toISOString(),
    current,
    totals,
  }
}

export function createPollService({ polls, answers, store, snapshot, maxAnswers }: PollServiceOptions): PollService {
  const answerOf = new Map(Object.entries(answers))

  function count(poll: PollDefinition, query: CountQuery): Promise<Counted> {
    return countReaders[kindOf(poll).counts](store, poll, query)
  }

  async function status(poll: PollDefinition, session?: number, presenter = false, view: StatusView = 'full'): Promise<PollStatus> {
    const kind = kindOf(poll)
    const limit = view === 'slide'
      ? kind.shownOnSlide ?? kind.ranked
      : kind.ranked
    const [state, counted] = await Promise.all([
      store.getState(poll.id, session),
      count(poll, { session, limit, presenter }),
    ])
    const { discarded, ideas, pending } = counted
    return {
      ...buildStatus(poll, state, counted, answerOf.get(poll.id)),
      ...discarded > 0
        ? { discarded }
        : {},
      ...ideas
        ? { ideas, pending }
        : {},
    }
  }

  async function totals(session: number): Promise<Record<string, number>> {
    const counted = await Promise.all(polls.map(poll => count(poll, { session, limit: 0, presenter: false })))
    return Object.fromEntries(polls.map((poll, index) => [poll.id, counted[index]!.total]))
  }

  /** The snapshot holds a closed poll's final result in its session; an open or empty poll has none. */
  async function recordSnapshot(poll: PollDefinition, now: PollStatus): Promise<void> {
    const session = await store.currentSession()
    const state = await store.getState(poll.id)
    await snapshot.record(session, poll.id, now.state === 'closed' && now.total > 0
      ? {
          total: now.total,
          tallies: now.tallies,
          closedAt: new Date(state.closedAt ?? Date.now()).toISOString(),
          ...(now.correct === undefined
            ? {}
            : { correct: now.correct }),
        }
      : null)
  }

  async function csvRows(poll: PollDefinition, session?: number): Promise<(string | number)[][]> {
    const { tallies } = await count(poll, { session, presenter: false })
    return kindOf(poll).csvRows(poll, tallies)
  }

  return {
    polls,
    pollById: id => findPoll(polls, id),
    status,
    currentPoll: async () => currentPollId(polls, await store.allStates()),

    vote: (poll, vote) => store.vote(poll.id, vote.voter, vote.items, kindOf(poll).freeText
      ? { maxDistinct: maxAnswers }
      : {}),

    async setState(poll, patch) {
      if (patch.revealed && !kindOf(poll).revealable)
        return { ok: false, error: 'Bare en quiz har et riktig svar å vise.' }
      const before = await store.getState(poll.id)
      const after = await store.setState(poll.id, patch)
      const now = await status(poll)
      const closing = before.state === 'open' && after.state === 'closed'
      // A quiz is often revealed after it closed: its saved result then gains the answer, for print and export.
      const revealedWhileClosed = after.state === 'closed' && before.revealed !== after.revealed
      if (closing || revealedWhileClosed)
        await recordSnapshot(poll, now)
      return { ok: true, value: now }
    },

    async reset(poll) {
      await store.discardVotes(poll.id)
      const now = await status(poll)
      await recordSnapshot(poll, now)
      return now
    },

    async restore(poll) {
      const restored = await store.restoreVotes(poll.id)
      const now = await status(poll)
      if (restored > 0 && now.state === 'closed')
        await recordSnapshot(poll, now)
      return { restored, status: now }
    },

    async csv(poll, session) {
      return [
        ['id', 'svar', 'stemmer'],
        ...await csvRows(poll, session),
      ]
    },

    async sessionCsv(session) {
      const rows = await Promise.all(polls.map(async poll => (await csvRows(poll, session)).map(row => [poll.id, poll.question, ...row])))
      return [
        [
          'avstemning',
          'spørsmål',
          'id',
          'svar',
          'stemmer',
        ],
        ...rows.flat(),
      ]
    },

    async session(id) {
      return (await store.sessions()).find(session => session.id === id)
    },

    async sessions() {
      const [all, current] = await Promise.all([
        store.sessions(),
        store.currentSession(),
      ])
      return Promise.all(all.map(async session => toSummary(session, session.id === current.id, await totals(session.id))))
    },

    async startSession(name) {
      const session = await store.startSession(name)
      await snapshot.startSession(session)
      return toSummary(session, true, await totals(session.id))
    },

    async deleteSession(id) {
      const outcome = await store.deleteSession(id)
      if (outcome === 'deleted')
        await snapshot.forgetSession(id)
      return outcome
    },

    recentAnswers: poll => store.recentItems(poll.id, RECENT_ANSWERS),

    shareIdea: (poll, voter, idea) => store.shareIdea(poll.id, voter, idea, moderationOf(poll) === 'pre'
      ? 'pending'
      : 'approved', { maxDistinct: maxAnswers }),

    liftIdea: (poll, ideaId, voter, lifted) => store.liftIdea(poll.id, ideaId, voter, lifted),

    async setIdeaState(poll, ideaId, state) {
      const idea = await store.setIdeaState(poll.id, ideaId, state)
      if (!idea)
        return undefined
      const now = await status(poll)
      if (now.state === 'closed')
        await recordSnapshot(poll, now)
      return ideaStatus(idea, true)
    },

    async setHidden(poll, answer, hidden) {
      await store.setHidden(poll.id, answer, hidden)
      const now = await status(poll)
      if (now.state === 'closed')
        await recordSnapshot(poll, now)
      return store.recentItems(poll.id, RECENT_ANSWERS)
    },
  }
}
