import type { PollBase, PollOption } from '../../types.ts'
import type { KindModule } from '../kind-module.ts'
import { oneOption } from '../choice/index.ts'
import { copyOptions, optionRows, optionTallies } from '../kind-module.ts'

/** A choice with a correct answer the presenter reveals. */
export interface QuizPoll extends PollBase {
  kind: 'quiz'
  options: PollOption[]
  correct: string
}

export const quiz: KindModule<QuizPoll> = {
  choice: poll => oneOption(poll.options),
  options: poll => copyOptions(poll.options),
  // The answer leaves the server only once revealed.
  status: (poll, tallies, revealed) => ({
    tallies: optionTallies(poll.options, tallies),
    ...(revealed
      ? { correct: poll.correct }
      : {}),
  }),
  csvRows: (poll, tallies) => optionRows(poll.options, tallies),
  revealable: true,
  freeText: false,
}
