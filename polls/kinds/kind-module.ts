import type * as v from 'valibot'
import type { Choice, PollOption, PollStatus } from '../types.ts'

/** A checked `choice`: normalised (the phone is told what was stored) and the tally keys it counts for. */
export interface Counted {
  choice: Choice
  items: string[]
}

/** What a kind adds to a poll's status: its tallies and its own fields. */
export type KindStatus = Pick<PollStatus, 'tallies'>
  & Partial<Pick<PollStatus, 'correct' | 'min' | 'max' | 'minLabel' | 'maxLabel' | 'distinctWords' | 'ideaCount'>>

/** One row of the results download: id, answer as people read it, votes. */
export type CsvRow = [string, string, number]

/** Everything the server, the slide and the phone need to know about one kind of poll, but its views. */
export interface KindModule<P> {
  /** Checks and normalises what a voter sends as `choice`; messages are Norwegian, the phone shows them. */
  choice: (poll: P) => v.GenericSchema<unknown, Counted>
  /** The answers the poll offers, in the order the slide and the phone list them. */
  options: (poll: P) => PollOption[]
  /**
   * Its part of the status, from the stored votes' tally keys (only the `ranked` most frequent ones where the kind
   * sets it) and how many different keys there are; `answer` is a quiz's, given only once revealed.
   */
  status: (poll: P, tallies: Record<string, number>, answer: string | undefined, distinct: number) => KindStatus
  csvRows: (poll: P, tallies: Record<string, number>) => CsvRow[]
  /** The presenter can reveal a correct answer. */
  revealable: boolean
  /**
   * Its tally keys are text the room typed: the server checks them against the block list (server/blocklist.ts),
   * the presenter can hide one, and a poll takes at most so many different ones (POLL_WORDS_MAX).
   */
  freeText: boolean
  /** The status needs only this many most frequent tally keys, which the store ranks. */
  ranked?: number
  /** The slide shows at most this many tally keys: its status (StatusView `slide`) carries no more. */
  shownOnSlide?: number
  /** Where its numbers come from: votes (one per voter, its tally keys) or shared ideas and their lifts. */
  counts: 'votes' | 'ideas'
}

/** The options as plain data, so a status never shares objects with the poll list. */
export function copyOptions(options: readonly PollOption[]): PollOption[] {
  return options.map(({ id, label }) => ({ id, label }))
}

/** Every option's votes, zero where nobody chose it; keys not among the options are left out. */
export function optionTallies(options: readonly PollOption[], tallies: Record<string, number>): Record<string, number> {
  return Object.fromEntries(options.map(option => [option.id, tallies[option.id] ?? 0]))
}

export function optionRows(options: readonly PollOption[], tallies: Record<string, number>, label = (option: PollOption) => option.label): CsvRow[] {
  return options.map(option => [
    option.id,
    label(option),
    tallies[option.id] ?? 0,
  ])
}

/** What kinds built on a list of options share: the options, a tally per option and a CSV row per option. */
export function optionKind<P extends { options: PollOption[] }>(): Pick<KindModule<P>, 'options' | 'status' | 'csvRows' | 'revealable' | 'freeText' | 'counts'> {
  return {
    options: poll => copyOptions(poll.options),
    status: (poll, tallies) => ({
      tallies: optionTallies(poll.options, tallies),
    }),
    csvRows: (poll, tallies) => optionRows(poll.options, tallies),
    revealable: false,
    freeText: false,
    counts: 'votes',
  }
}
