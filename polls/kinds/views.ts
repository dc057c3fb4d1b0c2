/** The slide's result view and the phone's input of every kind (apart from kinds/index.ts, so the server never loads Vue files; the voting page loads only inputs.ts). */
import type { PollKind, PollOfKind } from './index.ts'
import type { KindViews, SlideWording } from './kind-views.ts'
import { choiceViews } from './choice/views.ts'
import { ideasViews } from './ideas/views.ts'
import { voteWording } from './kind-views.ts'
import { multiViews } from './multi/views.ts'
import { quizViews } from './quiz/views.ts'
import { scaleViews } from './scale/views.ts'
import { wordsViews } from './words/views.ts'

export const kindViews: { [K in PollKind]: KindViews<PollOfKind<K>> } = {
  choice: choiceViews,
  multi: multiViews,
  scale: scaleViews,
  words: wordsViews,
  quiz: quizViews,
  ideas: ideasViews,
}

/** A kind's views, or undefined for a kind no module handles: the caller says so instead of guessing. */
export function viewsOf<K extends PollKind>(kind: K): KindViews<PollOfKind<K>> | undefined {
  return (kindViews as Partial<typeof kindViews>)[kind] as KindViews<PollOfKind<K>> | undefined
}

/** What the slide says a kind counts: votes unless the kind says otherwise. */
export function wordingOf(kind: PollKind): SlideWording {
  return viewsOf(kind)?.wording ?? voteWording
}
