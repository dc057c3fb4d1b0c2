/**
 * The answers to this talk's quizzes (snippets/polls.ts): quiz id → the id of the correct option. Only the poll
 * server reads this file (server/poll-definitions.ts); the deck and the voting page never import it, so a phone
 * learns the answer when the presenter reveals it, not by reading the page's code.
 */
import type { QuizAnswers } from '../polls/types.ts'

export const answers: QuizAnswers = {
  'dugnad-eller-samskaping': 'dugnad',
}
