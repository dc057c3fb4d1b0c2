/** How a poll is defined, and the JSON the server, the slide and the phone describe it by. */

export type PollKind = 'choice' | 'multi' | 'scale' | 'words' | 'quiz'

export interface PollOption {
  id: string
  label: string
}

interface PollBase {
  id: string
  question: string
}

/** One option per voter. */
export interface ChoicePoll extends PollBase {
  kind: 'choice'
  options: PollOption[]
}

/** One or more options per voter. */
export interface MultiPoll extends PollBase {
  kind: 'multi'
  options: PollOption[]
}

/** One whole number from min to max per voter. */
export interface ScalePoll extends PollBase {
  kind: 'scale'
  min: number
  max: number
  minLabel: string
  maxLabel: string
}

/** One short free text per voter (1–40 characters), shown as a word cloud. */
export interface WordsPoll extends PollBase {
  kind: 'words'
}

/** A choice with a correct answer the presenter reveals. */
export interface QuizPoll extends PollBase {
  kind: 'quiz'
  options: PollOption[]
  correct: string
}

export type PollDefinition = ChoicePoll | MultiPoll | ScalePoll | WordsPoll | QuizPoll

export const WORD_MAX_LENGTH = 40

/** A words poll's status lists only its most frequent words (the CSV export has all of them). */
export const WORD_CLOUD_MAX = 100

export type PollState = 'open' | 'closed'

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
  /** Words only: how many different words were given; `tallies` holds the WORD_CLOUD_MAX most frequent. */
  distinctWords?: number
}

/** The final results the build and export show, written when a poll closes: poll id → status. */
export type PollSnapshot = Record<string, Pick<PollStatus, 'total' | 'tallies'> & { closedAt: string }>
