import type { PollDefinition, PollSnapshot, PollStatus, SavedSession } from './types.ts'
import results from '../snippets/poll-results.json'
import { parseSavedResults, pickSession } from './saved-results.ts'
import { buildStatus } from './status.ts'

/** The session whose final results the deck shows (the build keeps only the one it was asked for), if any. */
export const savedSession: SavedSession | undefined = pickSession(parseSavedResults(results))

/** Final results saved after the talk (`{}` before it): what print, export and the hosted deck show. */
export const pollSnapshot: PollSnapshot = savedSession?.polls ?? {}

/**
 * A poll as the saved results describe it, shaped like the server's status so one set of components
 * draws both. A quiz shows its answer only when it was revealed in the talk (the server saved it then);
 * the deck's code holds no answer of its own.
 */
export function snapshotStatus(poll: PollDefinition, snapshot: PollSnapshot = pollSnapshot): PollStatus {
  const saved = snapshot[poll.id]
  return buildStatus(poll, { state: 'closed', revealed: saved?.correct !== undefined }, saved ?? { total: 0, tallies: {} }, saved?.correct)
}
