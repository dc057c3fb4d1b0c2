import type { PollBase, PollOption } from '../../types.ts'
import type { KindModule } from '../kind-module.ts'
import { oneOption } from '../choice/index.ts'
import { optionKind, optionTallies } from '../kind-module.ts'

/** A choice with a correct answer the presenter reveals. The answer is not part of it: see QuizAnswers. */
export interface QuizPoll extends PollBase {
  kind: 'quiz'
  options: PollOption[]
}

/**
 * Quiz poll id → the id of its correct option. Only the poll server holds these (snippets/quiz-answers.ts, or a
 * POLL_DEFINITIONS module's `answers`): whatever the deck or the voting page imports, a phone can read before the
 * reveal.
 */
export type QuizAnswers = Readonly<Record<string, string>>

export const quiz: KindModule<QuizPoll> = {
  ...optionKind<QuizPoll>(),
  choice: poll => oneOption(poll.options),
  // buildStatus hands over the answer only once it is revealed.
  status: (poll, tallies, answer) => ({
    tallies: optionTallies(poll.options, tallies),
    ...(answer === undefined
      ? {}
      : { correct: answer }),
  }),
  revealable: true,
}
