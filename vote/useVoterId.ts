import { createVoterId, VOTER_PATTERN } from '../polls/vote.ts'

const storageKey = 'samskaping:voter'

/**
 * The phone's anonymous voter id: random, made once and kept in localStorage so the person can change
 * their vote. It says nothing about who they are. Without storage (private mode) it lasts for this visit.
 */
export function useVoterId(): string {
  try {
    const stored = localStorage.getItem(storageKey)
    if (stored && VOTER_PATTERN.test(stored))
      return stored
    const created = createVoterId()
    localStorage.setItem(storageKey, created)
    return created
  }
  catch {
    return createVoterId()
  }
}
