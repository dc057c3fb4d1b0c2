/**
 * Every kind of poll. Adding one: a folder beside these (see README, «Adding a poll kind»), its poll type in
 * the union below, and one line each in `kinds` here, in views.ts (the slide) and in inputs.ts (the phone). A kind
 * missing from one of them is a type error.
 */
import type { ChoicePoll } from './choice/index.ts'
import type { IdeasPoll } from './ideas/index.ts'
import type { KindModule } from './kind-module.ts'
import type { MultiPoll } from './multi/index.ts'
import type { QuizPoll } from './quiz/index.ts'
import type { ScalePoll } from './scale/index.ts'
import type { WordsPoll } from './words/index.ts'
import { choice } from './choice/index.ts'
import { ideas } from './ideas/index.ts'
import { multi } from './multi/index.ts'
import { quiz } from './quiz/index.ts'
import { scale } from './scale/index.ts'
import { words } from './words/index.ts'

export type PollDefinition = ChoicePoll | MultiPoll | ScalePoll | WordsPoll | QuizPoll | IdeasPoll

export type PollKind = PollDefinition['kind']

export type PollOfKind<K extends PollKind> = Extract<PollDefinition, { kind: K }>

export const kinds: { [K in PollKind]: KindModule<PollOfKind<K>> } = {
  choice,
  multi,
  scale,
  words,
  quiz,
  ideas,
}

/** The module of a poll's kind; fails loudly for a kind no module handles (e.g. from a hand-edited list). */
export function kindOf(poll: PollDefinition): KindModule<PollDefinition> {
  const kind = kinds[poll.kind] as KindModule<PollDefinition> | undefined
  if (!kind)
    throw new Error(`Poll ${poll.id} has the unknown kind «${String(poll.kind)}».`)
  return kind
}
