import type { Component } from 'vue'
import type { Choice, PollStatus } from '../types.ts'
import { votesLabel } from '../format.ts'

/** How a kind of poll is answered on the phone with a vote: its input inside the voting form. */
export interface KindInput<P> {
  /** The phone's input; its v-model is the answer being put together. */
  Input: Component
  inputProps: (poll: P) => Record<string, unknown>
  /** The answer the input starts from: the vote this phone already gave, when it fits. */
  draft: (given: Choice | undefined) => Choice | undefined
  /** Said under the question on the phone. */
  hint?: string
}

/** What a kind's own phone page is given. */
export interface PhonePageProps<P> {
  poll: P
  /** The server's latest status of the poll. */
  status: PollStatus
  /** This phone's anonymous id in the poll. */
  voter: string
}

/**
 * A kind the phone answers on a page of its own instead of the voting form (the idea wall: share ideas, lift them).
 * `Page` takes PhonePageProps.
 */
export interface KindPage {
  Page: Component
}

/** How the phone answers a kind: a vote in the voting form, or a page of its own. */
export type KindPhone<P> = KindInput<P> | KindPage

/** How the slide words what a poll has counted. */
export interface SlideWording {
  /** While it takes answers: «Åpen for stemmer». */
  open: string
  /** How much came in: «12 stemmer». */
  count: (status: PollStatus) => string
  /** Where the result will be, before anything came in: «Ingen stemmer ennå». */
  none: string
  /** What «Nullstill» set aside and «Hent tilbake» brings back: «3 stemmer». */
  setAside: (count: number) => string
}

/** Votes: what every kind counts unless it says otherwise. */
export const voteWording: SlideWording = {
  open: 'Åpen for stemmer',
  count: status => votesLabel(status.total),
  none: 'Ingen stemmer ennå',
  setAside: votesLabel,
}

/** How a kind of poll looks: its result on the slide and how the phone answers it. */
export type KindViews<P> = KindPhone<P> & {
  Result: Component
  /** The result view's props, from the status the server (or the saved results) describe the poll by. */
  resultProps: (status: PollStatus) => Record<string, unknown>
  /** What the slide says it counts; votes (voteWording) when absent. */
  wording?: SlideWording
}
