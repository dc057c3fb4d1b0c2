import type { KindInput } from '../kind-views.ts'
import type { QuizPoll } from './index.ts'
import { choiceInput } from '../choice/input.ts'

export const quizInput: KindInput<QuizPoll> = choiceInput
