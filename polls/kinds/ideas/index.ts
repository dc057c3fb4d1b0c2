import type { Checked, PollBase } from '../../types.ts'
import type { KindModule } from '../kind-module.ts'
import * as v from 'valibot'
import { byCountThenText, checkText, normaliseText, tidyText } from '../words/index.ts'

/**
 * The idea wall: people share a short idea and lift the ones they agree with. `moderation: 'pre'` (the default, for
 * a public talk) shows an idea only once the presenter approves it; `'post'` shows it at once, and the presenter
 * can hide it.
 */
export interface IdeasPoll extends PollBase {
  kind: 'ideas'
  moderation?: 'pre' | 'post'
}

export type IdeaState = 'pending' | 'approved' | 'hidden'

export const IDEA_STATES: readonly IdeaState[] = ['pending', 'approved', 'hidden']

/** An idea as the API and the slide describe it; `state` only for the presenter. */
export interface IdeaStatus {
  id: string
  text: string
  lifts: number
  state?: IdeaState
}

export const IDEA_MAX_LENGTH = 140

/** How many ideas the slide shows, the most lifted first. */
export const IDEA_WALL_MAX = 8

/** An idea as it is shown (spacing tidied, case kept) and its key (normalised as words are): equal keys are one idea. */
export interface NormalisedIdea {
  text: string
  key: string
}

export function normaliseIdea(raw: unknown): Checked<NormalisedIdea> {
  if (typeof raw !== 'string')
    return { ok: false, error: 'Idéen må være tekst.' }
  const text = checkText(tidyText(raw), IDEA_MAX_LENGTH, {
    empty: 'Skriv idéen din først.',
    tooLong: length => `Idéen er for lang: høyst ${IDEA_MAX_LENGTH} tegn (nå ${length}).`,
  })
  return text.ok
    ? {
        ok: true,
        value: {
          text: text.value,
          key: normaliseText(text.value),
        },
      }
    : text
}

/**
 * Approved ideas, most lifted first, ties in Norwegian alphabetical order. Unlike words, an idea without lifts stays:
 * it is on the wall (its author may have taken back their own lift).
 */
export function rankIdeas(tallies: Record<string, number>): [text: string, lifts: number][] {
  return Object.entries(tallies).sort(([textA, liftsA], [textB, liftsB]) => byCountThenText(liftsA, textA, liftsB, textB))
}

export function moderationOf(poll: IdeasPoll): 'pre' | 'post' {
  return poll.moderation ?? 'pre'
}

export const ideas: KindModule<IdeasPoll> = {
  // Ideas are shared and lifted through their own routes (POST /api/polls/:id/ideas), never sent as a vote.
  choice: () => v.pipe(
    v.unknown(),
    v.check(() => false, 'Del en idé eller løft en idé i stedet for å stemme.'),
    v.transform(() => ({ choice: '', items: [] })),
  ),
  options: () => [],
  // The approved ideas arrive as tallies (text → lifts), so the saved results, CSV and print need nothing else.
  status: (_poll, tallies, _answer, distinct) => ({
    tallies: Object.fromEntries(rankIdeas(tallies)),
    ideaCount: distinct,
  }),
  csvRows: (_poll, tallies) => rankIdeas(tallies).map(([text, lifts]) => [text, text, lifts]),
  revealable: false,
  // Typed, but not as votes: the idea routes check the block list, the cap and moderation themselves.
  freeText: false,
  counts: 'ideas',
  shownOnSlide: IDEA_WALL_MAX,
}
