import type { PollDefinition } from '../polls/types.ts'
import type { PollStateRecord } from './store/types.ts'

/** The poll the voting page should show: the most recently opened one that is still open. */
export function currentPollId(polls: readonly PollDefinition[], states: ReadonlyMap<string, PollStateRecord>): string | null {
  let current: { id: string, openedAt: number } | null = null
  for (const poll of polls) {
    const state = states.get(poll.id)
    if (state?.state !== 'open')
      continue
    const openedAt = state.openedAt ?? 0
    if (!current || openedAt >= current.openedAt)
      current = { id: poll.id, openedAt }
  }
  return current?.id ?? null
}
