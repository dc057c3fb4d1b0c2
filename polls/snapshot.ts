import type { PollDefinition, PollSnapshot, PollStatus } from './types.ts'
import results from '../snippets/poll-results.json'
import { buildStatus } from './status.ts'

/** Final results saved after the talk (`{}` before it): what print, export and the hosted deck show. */
export const pollSnapshot: PollSnapshot = results as PollSnapshot

/**
 * A poll as the saved results describe it, shaped like the server's status so one set of components
 * draws both. A quiz shows its answer only when it was revealed in the talk (the server saved it then);
 * the deck's code holds no answer of its own.
 */
export function snapshotStatus(poll: PollDefinition, snapshot: PollSnapshot = pollSnapshot): PollStatus {
  const saved = snapshot[poll.id]
  return buildStatus(poll, { state: 'closed', revealed: saved?.correct !== undefined }, saved ?? { total: 0, tallies: {} }, saved?.correct)
}
