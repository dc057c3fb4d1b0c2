import type { PollDefinition, PollStatus } from '../polls/types.ts'
import type { PollStateRecord, PollStore } from './store/types.ts'
import { buildStatus } from '../polls/status.ts'

/** A poll's status as stored right now; a quiz's `answer` is in it once revealed. */
export async function readPollStatus(store: PollStore, poll: PollDefinition, answer?: string): Promise<PollStatus> {
  const [state, counted] = await Promise.all([
    store.getState(poll.id),
    store.tallies(poll.id),
  ])
  return buildStatus(poll, state, counted, answer)
}

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
