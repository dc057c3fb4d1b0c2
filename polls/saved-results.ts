/**
 * The saved results file (SavedResults): read by the poll server that keeps it, by the build that bakes one session
 * into the deck, and by the deck itself. A file from before sessions (poll id → result) reads as one unnamed session.
 */
import type { PollSnapshot, SavedResults, SavedSession } from './types.ts'

function isSavedResults(value: object): value is SavedResults {
  return Array.isArray((value as Partial<SavedResults>).sessions)
}

export function parseSavedResults(value: unknown): SavedResults {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return { sessions: [] }
  if (isSavedResults(value))
    return value
  const polls = value as PollSnapshot
  return Object.keys(polls).length > 0
    ? {
        sessions: [
          {
            id: 0,
            name: '',
            startedAt: '',
            polls,
          },
        ],
      }
    : { sessions: [] }
}

/** The session named by id or name (`POLL_SESSION`), or the newest when none is asked for; undefined when not there. */
export function pickSession(results: SavedResults, wanted?: string): SavedSession | undefined {
  const asked = wanted?.trim()
  if (!asked) {
    return results.sessions.reduce<SavedSession | undefined>((newest, session) => !newest || session.id > newest.id
      ? session
      : newest, undefined)
  }
  return results.sessions.find(session => String(session.id) === asked)
    ?? results.sessions.find(session => session.name.localeCompare(asked, 'nb', { sensitivity: 'accent' }) === 0)
}
