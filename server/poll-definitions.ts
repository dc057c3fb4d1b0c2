import type { PollDefinition, QuizAnswers } from '../polls/types.ts'
import { pathToFileURL } from 'node:url'
import { kindOf } from '../polls/kinds/index.ts'
import { polls as talkPolls } from '../snippets/polls.ts'
import { answers as talkAnswers } from '../snippets/quiz-answers.ts'

/** The polls a server runs and the answers to their quizzes, which only the server knows. */
export interface PollDefinitions {
  polls: readonly PollDefinition[]
  answers: QuizAnswers
}

/** Every quiz has exactly one answer, and it is one of its options; anything else stops the server at start. */
function checkAnswers({ polls, answers }: PollDefinitions, source: string): void {
  for (const poll of polls) {
    if (!kindOf(poll).revealable)
      continue
    const answer = Object.hasOwn(answers, poll.id)
      ? answers[poll.id]
      : undefined
    const options = kindOf(poll).options(poll).map(option => option.id)
    if (answer === undefined)
      throw new Error(`Quizen «${poll.id}» har ikke noe riktig svar i ${source}.`)
    if (!options.includes(answer))
      throw new Error(`Riktig svar på quizen «${poll.id}» i ${source} er «${answer}», som ikke er blant alternativene (${options.join(', ')}).`)
  }
  for (const id of Object.keys(answers)) {
    const poll = polls.find(candidate => candidate.id === id)
    if (!poll || !kindOf(poll).revealable)
      throw new Error(`${source} har et svar for «${id}», som ikke er en quiz.`)
  }
}

/**
 * The talk's polls (snippets/polls.ts) with their answers (snippets/quiz-answers.ts), or those of the module
 * POLL_DEFINITIONS names (its `polls` and `answers` exports).
 */
export async function loadPolls(module: string | undefined): Promise<PollDefinitions> {
  if (!module) {
    const talk = { polls: talkPolls, answers: talkAnswers }
    checkAnswers(talk, 'snippets/quiz-answers.ts')
    return talk
  }
  const loaded = await import(pathToFileURL(module).href) as { polls?: unknown, answers?: unknown }
  if (!Array.isArray(loaded.polls))
    throw new TypeError(`POLL_DEFINITIONS: ${module} exports no «polls» list.`)
  const definitions = {
    polls: loaded.polls as readonly PollDefinition[],
    answers: (loaded.answers ?? {}) as QuizAnswers,
  }
  checkAnswers(definitions, module)
  return definitions
}
