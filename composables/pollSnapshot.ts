import type { PollDefinition, PollOption, PollSnapshot, PollStatus } from '../snippets/polls.ts'
import results from '../snippets/poll-results.json'

/** Final results saved after the talk (`{}` before it): what print, export and the hosted deck show. */
export const pollSnapshot: PollSnapshot = results as PollSnapshot

/** The options a result shows: a scale's values are its options. */
export function displayOptions(poll: PollDefinition): PollOption[] {
  switch (poll.kind) {
    case 'scale': {
      const values = Array.from({ length: poll.max - poll.min + 1 }, (_, index) => String(poll.min + index))
      return values.map(value => ({ id: value, label: value }))
    }
    case 'words':
      return []
    default:
      return poll.options
  }
}

/**
 * A poll as the saved results describe it, shaped like the server's status so one set of components
 * draws both. A quiz with saved results shows its answer (the talk is over); without results it keeps
 * the answer hidden, so a handout printed before the talk does not give it away.
 */
export function snapshotStatus(poll: PollDefinition, snapshot: PollSnapshot = pollSnapshot): PollStatus {
  const saved = snapshot[poll.id]
  const status: PollStatus = {
    id: poll.id,
    kind: poll.kind,
    question: poll.question,
    options: displayOptions(poll),
    state: 'closed',
    revealed: poll.kind === 'quiz' && saved !== undefined,
    total: saved?.total ?? 0,
    tallies: saved?.tallies ?? {},
  }
  if (poll.kind === 'quiz' && status.revealed)
    status.correct = poll.correct
  if (poll.kind === 'scale') {
    Object.assign(status, {
      min: poll.min,
      max: poll.max,
      minLabel: poll.minLabel,
      maxLabel: poll.maxLabel,
    })
  }
  return status
}
