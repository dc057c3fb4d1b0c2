/**
 * How the phone answers every kind (an input in the voting form, or a page of its own): what the voting page loads.
 * The slide's result views are in views.ts, so a phone on conference Wi-Fi downloads no chart it never shows.
 */
import type { Component } from 'vue'
import type { PollKind, PollOfKind } from './index.ts'
import type { KindInput, KindPhone } from './kind-views.ts'
import { choiceInput } from './choice/input.ts'
import { ideasPhone } from './ideas/input.ts'
import { multiInput } from './multi/input.ts'
import { quizInput } from './quiz/input.ts'
import { scaleInput } from './scale/input.ts'
import { wordsInput } from './words/input.ts'

export const kindInputs: { [K in PollKind]: KindPhone<PollOfKind<K>> } = {
  choice: choiceInput,
  multi: multiInput,
  scale: scaleInput,
  words: wordsInput,
  quiz: quizInput,
  ideas: ideasPhone,
}

function phoneOf<K extends PollKind>(kind: K): KindPhone<PollOfKind<K>> | undefined {
  return (kindInputs as Partial<typeof kindInputs>)[kind] as KindPhone<PollOfKind<K>> | undefined
}

/**
 * A kind's input in the voting form, or undefined for a kind no module handles (the caller says so instead of
 * guessing) and for a kind with a page of its own.
 */
export function inputOf<K extends PollKind>(kind: K): KindInput<PollOfKind<K>> | undefined {
  const phone = phoneOf(kind)
  return phone && 'Input' in phone
    ? phone
    : undefined
}

/** A kind's own phone page (PhonePageProps) instead of the voting form, if it has one. */
export function pageOf(kind: PollKind): Component | undefined {
  const phone = phoneOf(kind)
  return phone && 'Page' in phone
    ? phone.Page
    : undefined
}
