/**
 * The phone's input of every kind: what the voting page loads. The slide's result views are in views.ts, so a phone
 * on conference Wi-Fi downloads no chart it never shows.
 */
import type { PollKind, PollOfKind } from './index.ts'
import type { KindInput } from './kind-views.ts'
import { choiceInput } from './choice/input.ts'
import { multiInput } from './multi/input.ts'
import { quizInput } from './quiz/input.ts'
import { scaleInput } from './scale/input.ts'
import { wordsInput } from './words/input.ts'

export const kindInputs: { [K in PollKind]: KindInput<PollOfKind<K>> } = {
  choice: choiceInput,
  multi: multiInput,
  scale: scaleInput,
  words: wordsInput,
  quiz: quizInput,
}

/** A kind's input, or undefined for a kind no module handles: the caller says so instead of guessing. */
export function inputOf<K extends PollKind>(kind: K): KindInput<PollOfKind<K>> | undefined {
  return (kindInputs as Partial<typeof kindInputs>)[kind] as KindInput<PollOfKind<K>> | undefined
}
