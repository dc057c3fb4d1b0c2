import type { IdeaState, ItemRecord, PollState } from '../../polls/types.ts'

export type { ItemRecord }

/**
 * One presentation of the talk: its votes are kept apart from every other's. The newest session is the current
 * one; votes, state changes, resets and moderation always apply to it, and earlier sessions stay as they were.
 * Times are epoch milliseconds.
 */
export interface SessionRecord {
  id: number
  name: string
  startedAt: number
}

/** A poll's live state as the presenter set it. Times are epoch milliseconds. */
export interface PollStateRecord {
  state: PollState
  revealed: boolean
  openedAt: number | null
  closedAt: number | null
}

export const INITIAL_STATE: PollStateRecord = {
  state: 'closed',
  revealed: false,
  openedAt: null,
  closedAt: null,
}

export interface StatePatch {
  state?: PollState
  revealed?: boolean
}

/** Counted from the stored votes at the time of asking, never from a running counter in the server. */
export interface PollTallies {
  /** Number of voters. */
  total: number
  /** Voters per tally key (option id, scale value or normalised word); keys without votes and hidden keys are absent. */
  tallies: Record<string, number>
  /** How many different keys have votes, hidden ones included. */
  distinct: number
}

export interface TallyQuery {
  /** A session's id; the current session when absent. */
  session?: number
  /** Only the `limit` keys with most votes (ties in reverse code-point order): a word cloud's words, ranked by the store. */
  limit?: number
}

/**
 * `closed`: the poll was not open when the vote was committed, so it was not stored. `full`: the vote brings a new
 * key to a poll that already has `maxDistinct` of them (a words poll flooded with made-up words).
 */
export type VoteOutcome = 'stored' | 'closed' | 'full'

export interface VoteLimits {
  /** The most different keys a poll takes; a vote for a key already counted always fits. */
  maxDistinct?: number
}

/**
 * A change to a poll's votes or state; `session` when another session became current or one was deleted, and
 * `resync` when changes may have been missed. Both mean: render everything again.
 */
export type StoreChange
  = | { kind: 'votes' | 'state', pollId: string }
    | { kind: 'session' }
    | { kind: 'resync' }

/** Calls a change listener; its failure is logged, never passed on to the write that caused the change. */
export function notify(listener: (change: StoreChange) => void, change: StoreChange): void {
  try {
    listener(change)
  }
  catch (error) {
    console.error('Poll store change listener failed:', error)
  }
}

export type DeleteSessionOutcome = 'deleted' | 'current' | 'unknown'

/** An idea on the wall of an ideas poll. */
export interface IdeaRecord {
  id: number
  text: string
  lifts: number
  state: IdeaState
}

/** An idea as shared: its text as shown and its key (normalised: equal keys are one idea). */
export interface SharedIdea {
  text: string
  key: string
}

/**
 * `shared`: a new idea (its author lifts it). `joined`: the same idea was there, and the voter's lift now counts for
 * it. `closed`: the poll is not open. `full`: the poll already holds `maxDistinct` ideas.
 */
export type ShareOutcome
  = | { outcome: 'shared' | 'joined', idea: IdeaRecord }
    | { outcome: 'closed' | 'full' }

/** `unknown`: no such idea in the poll's current round, or one the phones do not see (not approved). */
export type LiftOutcome = 'lifted' | 'already' | 'withdrawn' | 'not-lifted' | 'unknown' | 'closed'

export interface IdeaWall {
  /** Most lifted first, then the earliest shared. */
  ideas: IdeaRecord[]
  /** People who shared or lifted an idea. */
  people: number
  /** Ideas waiting for the presenter's approval. */
  pending: number
  /** Ideas «Nullstill» set aside that restoring would bring back. */
  discarded: number
}

/**
 * Where votes and poll state live. Every method is asynchronous so that a networked store (Redis) fits the same
 * shape; a resolved promise always means the change is durable.
 *
 * «Nullstill» never deletes: it starts a new round of the poll in the current session, and the votes of earlier
 * rounds are kept, marked as discarded, until they are restored or their session is deleted.
 */
export interface PollStore {
  /**
   * Stores the voter's vote for a poll in the current session, replacing any earlier vote of theirs in the poll's
   * current round (one vote per poll and voter, enforced by the store), but only if the poll is open at commit
   * time. `items` are the tally keys it counts for.
   */
  vote: (pollId: string, voter: string, items: readonly string[], limits?: VoteLimits) => Promise<VoteOutcome>
  /** Sets every vote of the poll's current round aside (kept, restorable) and hides a quiz's answer again. */
  discardVotes: (pollId: string) => Promise<void>
  /**
   * Brings the discarded votes of the current session back: each voter's newest discarded vote, unless the voter
   * has voted again since. Resolves with how many came back.
   */
  restoreVotes: (pollId: string) => Promise<number>
  /** Voters whose discarded votes restoreVotes would bring back. */
  discardedVoters: (pollId: string) => Promise<number>
  getState: (pollId: string, session?: number) => Promise<PollStateRecord>
  /** Applies a change; opening stamps `openedAt`, closing stamps `closedAt`. Resolves with the new state. */
  setState: (pollId: string, patch: StatePatch) => Promise<PollStateRecord>
  /** State of every poll of a session (the current one by default) that had one set; absent polls are INITIAL_STATE. */
  allStates: (session?: number) => Promise<Map<string, PollStateRecord>>
  tallies: (pollId: string, query?: TallyQuery) => Promise<PollTallies>
  /**
   * Shares an idea in the current session's poll, if it is open: a new one in `state`, or the existing idea with the
   * same key, which the voter then lifts. The author lifts their own idea.
   */
  shareIdea: (pollId: string, voter: string, idea: SharedIdea, state: 'pending' | 'approved', limits?: VoteLimits) => Promise<ShareOutcome>
  /** Lifts an approved idea once per voter (`lifted`, or `already`), or withdraws the lift (`withdrawn`, `not-lifted`). */
  liftIdea: (pollId: string, ideaId: number, voter: string, lifted: boolean) => Promise<LiftOutcome>
  /** The presenter approves, hides or sends back an idea; undefined when there is no such idea in the current round. */
  setIdeaState: (pollId: string, ideaId: number, state: IdeaState) => Promise<IdeaRecord | undefined>
  /** The ideas of a poll's current round in a session (the current one by default) that are in one of `states`. */
  ideaWall: (pollId: string, query: { session?: number, states: readonly IdeaState[] }) => Promise<IdeaWall>
  /** Hides a key (a word) from tallies in the current session, or shows it again; its votes are kept either way. */
  setHidden: (pollId: string, item: string, hidden: boolean) => Promise<void>
  /** The keys of the poll's current round with votes, the newest first: what the presenter moderates. */
  recentItems: (pollId: string, limit: number) => Promise<ItemRecord[]>
  currentSession: () => Promise<SessionRecord>
  /** Every session, oldest first. */
  sessions: () => Promise<SessionRecord[]>
  /** Starts a session, which becomes the current one: every poll closed and empty in it. */
  startSession: (name: string) => Promise<SessionRecord>
  /** Deletes a session and every vote in it; the current session cannot be deleted. */
  deleteSession: (id: number) => Promise<DeleteSessionOutcome>
  /**
   * Calls `listener` once for every committed change (a refused vote changes nothing). The event hub subscribes
   * here, once: a store shared by several servers announces every server's changes to each of them.
   */
  onChange: (listener: (change: StoreChange) => void) => () => void
  /**
   * Resolves once every vote, idea and lift accepted before the call is committed or refused, and its change
   * announced. The event hub waits for it before rendering an event (pending-writes.ts says why).
   */
  settled: () => Promise<void>
  close: () => Promise<void>
}

/** Stored vote times are rounded down to the minute: enough to order a session, too coarse to follow one phone. */
export function coarseTime(ms: number): number {
  return ms - (ms % 60_000)
}
