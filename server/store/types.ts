import type { PollState } from '../../polls/types.ts'

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

/** Counted from the stored votes at the time of asking, never from a running counter. */
export interface PollTallies {
  /** Number of voters. */
  total: number
  /** Voters per tally key (option id, scale value or normalised word); keys without votes are absent. */
  tallies: Record<string, number>
}

/** `closed`: the poll was not open when the vote was committed, so it was not stored. */
export type VoteOutcome = 'stored' | 'closed'

/** A change to a poll's votes or state; `resync` when changes may have been missed (render everything again). */
export type StoreChange
  = | { kind: 'votes' | 'state', pollId: string }
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

/**
 * Where votes and poll state live. Every method is asynchronous so that a networked store (Redis) fits the same
 * shape; a resolved promise always means the change is durable.
 */
export interface PollStore {
  /**
   * Stores the voter's vote for a poll, replacing any earlier vote of theirs (one vote per poll and voter,
   * enforced by the store), but only if the poll is open at commit time. `items` are the tally keys it counts for.
   */
  vote: (pollId: string, voter: string, items: readonly string[]) => Promise<VoteOutcome>
  /** Removes every vote of a poll. */
  clearVotes: (pollId: string) => Promise<void>
  getState: (pollId: string) => Promise<PollStateRecord>
  /** Applies a change; opening stamps `openedAt`, closing stamps `closedAt`. Resolves with the new state. */
  setState: (pollId: string, patch: StatePatch) => Promise<PollStateRecord>
  /** State of every poll that ever had one set; absent polls are in INITIAL_STATE. */
  allStates: () => Promise<Map<string, PollStateRecord>>
  tallies: (pollId: string) => Promise<PollTallies>
  /**
   * Calls `listener` once for every committed change (a refused vote changes nothing). The event hub subscribes
   * here, once: a store shared by several servers announces every server's changes to each of them.
   */
  onChange: (listener: (change: StoreChange) => void) => () => void
  close: () => Promise<void>
}
