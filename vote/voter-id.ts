import { asText, readStored, writeStored } from '../composables/useStorage.ts'
import { createVoterId, VOTER_PATTERN } from '../polls/vote.ts'

/** Ids made during this visit: where storage is blocked (private mode) they still last until the page closes. */
const made = new Map<string, string>()

/**
 * The phone's anonymous voter id in one poll: random, made the first time and kept in localStorage so the person
 * can change their vote. Each poll gets its own, so answers to different polls cannot be linked to one phone; the
 * id says nothing about who votes. Plain (not reactive): the page reads it when it shows a poll.
 */
export function voterIdFor(pollId: string): string {
  const key = `samskaping:voter:${pollId}`
  const kept = made.get(pollId) ?? readStored(key, asText)
  if (kept && VOTER_PATTERN.test(kept))
    return kept
  const created = createVoterId()
  made.set(pollId, created)
  writeStored(key, created, asText)
  return created
}
