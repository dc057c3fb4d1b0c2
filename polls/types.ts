/** How a poll is defined, and the JSON the server, the slide and the phone describe it by. */
import type { PollKind } from './kinds/index.ts'

export type { PollDefinition, PollKind } from './kinds/index.ts'

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
}

/** The final results the build and export show, written when a poll closes: poll id → status. */
export type PollSnapshot = Record<string, Pick<PollStatus, 'total' | 'tallies'> & { closedAt: string }>
