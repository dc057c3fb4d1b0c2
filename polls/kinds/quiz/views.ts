import type { KindViews } from '../kind-views.ts'
import type { QuizPoll } from './index.ts'
import { choiceViews } from '../choice/views.ts'

export const quizViews: KindViews<QuizPoll> = {
  ...choiceViews,
  resultProps: status => ({
    ...choiceViews.resultProps(status),
    correct: status.revealed ? status.correct : undefined,
  }),
}
