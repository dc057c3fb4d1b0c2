import { useStorage } from '../composables/useStorage.ts'
import { createVoterId, VOTER_PATTERN } from '../polls/vote.ts'

/**
 * The phone's anonymous voter id in one poll: random, made the first time and kept in localStorage so the person
 * can change their vote. Each poll gets its own, so answers to different polls cannot be linked to one phone; the
 * id says nothing about who votes. Without storage (private mode) it lasts for this visit.
 */
export function useVoterId(pollId: string): string {
  const stored = useStorage(`samskaping:voter:${pollId}`)
  if (stored.value && VOTER_PATTERN.test(stored.value))
    return stored.value
  const created = createVoterId()
  stored.value = created
  return created
}
