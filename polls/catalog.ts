import type { PollDefinition } from './types.ts'

/** The poll with this id in a poll list (the talk's, or a test's fixture list). */
export function findPoll(polls: readonly PollDefinition[], id: string): PollDefinition | undefined {
  return polls.find(poll => poll.id === id)
}
