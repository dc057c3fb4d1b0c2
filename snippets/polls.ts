/**
 * The talk's audience polls: the single source read by the slides, the voting page and the poll server.
 * Ids are part of URLs (/v/<id>, /api/polls/<id>) and of stored votes: never rename one after a talk.
 */

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

export const polls = [
  {
    id: 'dristig',
    kind: 'scale',
    question: 'Hvor dristige er vi i partnerskapene våre i dag?',
    min: 1,
    max: 5,
    minLabel: 'Forsiktige',
    maxLabel: 'Kompromissløse',
  },
  {
    id: 'vane',
    kind: 'words',
    question: 'Hvilken vane bør vi bryte?',
  },
  {
    id: 'forstyrret',
    kind: 'choice',
    question: 'Har vi systemer, organisasjoner og rutiner for å bli «forstyrret» av andre?',
    options: [
      { id: 'ja', label: 'Ja' },
      { id: 'delvis', label: 'Delvis' },
      { id: 'nei', label: 'Nei' },
    ],
  },
  {
    id: 'paradigme',
    kind: 'choice',
    question: 'Hvilket paradigme preger organisasjonen din mest?',
    options: [
      { id: 'planlegging', label: 'Planlegging' },
      { id: 'npm', label: 'New Public Management' },
      { id: 'samskaping', label: 'Samskaping' },
    ],
  },
  {
    id: 'rundt-bordet',
    kind: 'multi',
    question: 'Hvem sitter rundt bordet når dere utvikler tiltak for barn og unge?',
    options: [
      { id: 'unge', label: 'Barn og unge selv' },
      { id: 'parorende', label: 'Foreldre og pårørende' },
      { id: 'frivillige', label: 'Frivillige' },
      { id: 'fagfolk', label: 'Fagfolk og ansatte' },
      { id: 'naringsliv', label: 'Næringslivet' },
      { id: 'forskere', label: 'Forskere' },
    ],
  },
  {
    id: 'dugnad-eller-samskaping',
    kind: 'quiz',
    question: 'Kommunen har laget en plan for en ny møteplass og inviterer ungdommene til å male veggene en lørdag. Er det samskaping eller dugnad?',
    options: [
      { id: 'samskaping', label: 'Samskaping' },
      { id: 'dugnad', label: 'Dugnad' },
    ],
    correct: 'dugnad',
  },
] as const satisfies readonly PollDefinition[]

export type PollId = (typeof polls)[number]['id']

export function findPoll(id: string): PollDefinition | undefined {
  return (polls as readonly PollDefinition[]).find(poll => poll.id === id)
}

/** What a voter sends as `choice`, by poll kind. */
export interface ChoiceByKind {
  choice: string
  multi: string[]
  scale: number
  words: string
  quiz: string
}

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
