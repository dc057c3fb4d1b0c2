/** How a poll is defined, and the JSON the server, the slide and the phone describe it by. */
import type { IdeaStatus } from './kinds/ideas/index.ts'
import type { PollKind } from './kinds/index.ts'

export type { IdeaState, IdeaStatus } from './kinds/ideas/index.ts'
export type { PollDefinition, PollKind } from './kinds/index.ts'
export type { QuizAnswers } from './kinds/quiz/index.ts'

export interface PollOption {
  id: string
  label: string
}

/** What every kind of poll has. */
export interface PollBase {
  id: string
  question: string
}

/** What a voter sends as `choice`: an option id, several (multi), a number (scale) or a text (words). */
export type Choice = string | string[] | number

export type Checked<T> = { ok: true, value: T } | { ok: false, error: string }

export type PollState = 'open' | 'closed'

/**
 * How much of a poll's status a reader gets: `full` every answer (GET, the phones), `slide` only what the slide shows
 * (the fast stream to the projector: an idea wall's top ideas, not all two hundred, twenty-five times a second).
 */
export type StatusView = 'full' | 'slide'

/**
 * How often a poll's event stream sends new votes: `fast` (many times a second) for the slide and the presenter,
 * `phone` (state changes at once, new votes about once a second) for a phone, which shows no live bars.
 */
export type Pace = 'fast' | 'phone'

/** The poll as the API and SSE `tally` events describe it. */
export interface PollStatus {
  id: string
  kind: PollKind
  question: string
  /** Options for choice/multi/quiz, every value for scale, none for words. */
  options: PollOption[]
  state: PollState
  /** Quiz only: whether the presenter has revealed the answer; `correct` is sent only then. */
  revealed: boolean
  correct?: string
  min?: number
  max?: number
  minLabel?: string
  maxLabel?: string
  /** Number of voters. */
  total: number
  /** Votes keyed by option id, scale value or normalised word. */
  tallies: Record<string, number>
  /** Words only: how many different words were given; `tallies` holds the most frequent (WORD_CLOUD_MAX in kinds/words). */
  distinctWords?: number
  /** What «Nullstill» set aside in this session and the presenter can restore (voters; on an idea wall, ideas); absent when none. */
  discarded?: number
  /** Ideas only: how many ideas are shown (approved); `tallies` holds them too, text → lifts. */
  ideaCount?: number
  /**
   * Ideas only, live: the approved ideas, most lifted first; for the presenter (Authorization) also the pending and
   * hidden ones, each with its state.
   */
  ideas?: IdeaStatus[]
  /** Ideas only: how many wait for the presenter's approval. */
  pending?: number
}

/** A poll's final result as saved when it closed (a revealed quiz's answer included). */
export type SavedPoll = Pick<PollStatus, 'total' | 'tallies' | 'correct'> & { closedAt: string }

/** The final results of one session: poll id → result. */
export type PollSnapshot = Record<string, SavedPoll>

/** One presentation's saved results; `startedAt` is ISO 8601. */
export interface SavedSession {
  id: number
  name: string
  startedAt: string
  polls: PollSnapshot
}

/**
 * The file the poll server keeps (POLL_SNAPSHOT, default snippets/poll-results.json): every session's final
 * results. The build shows one session (POLL_SESSION, or the newest); print, export and the hosted deck draw it.
 */
export interface SavedResults {
  sessions: SavedSession[]
}

/** A session as the presenter's results page lists it (GET /api/sessions): voters per poll. */
export interface SessionSummary {
  id: number
  name: string
  /** ISO 8601. */
  startedAt: string
  current: boolean
  totals: Record<string, number>
}

/** A free-text answer as the presenter's moderation list shows it (GET /api/polls/:id/answers). */
export interface ItemRecord {
  item: string
  votes: number
  hidden: boolean
}
