import { useStorage } from '../composables/useStorage.ts'
import { createVoterId, VOTER_PATTERN } from '../polls/vote.ts'

/**
 * The phone's anonymous voter id: random, made once and kept in localStorage so the person can change
 * their vote. It says nothing about who they are. Without storage (private mode) it lasts for this visit.
 */
export function useVoterId(): string {
  const stored = useStorage('samskaping:voter')
  if (stored.value && VOTER_PATTERN.test(stored.value))
    return stored.value
  const created = createVoterId()
  stored.value = created
  return created
}
