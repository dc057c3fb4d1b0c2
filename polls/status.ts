import type { PollDefinition, PollOption, PollState, PollStatus } from './types.ts'
import { WORD_CLOUD_MAX } from './types.ts'

/** The choices a poll offers: its options, or each value of a scale. */
export function pollOptions(poll: PollDefinition): PollOption[] {
  if (poll.kind === 'scale') {
    const values = Array.from({ length: poll.max - poll.min + 1 }, (_, index) => String(poll.min + index))
    return values.map(value => ({ id: value, label: value }))
  }
  return 'options' in poll
    ? poll.options.map(({ id, label }) => ({ id, label }))
    : []
}

function mostFrequent(tallies: Record<string, number>, limit: number): Record<string, number> {
  const entries = Object.entries(tallies)
    .sort(([wordA, countA], [wordB, countB]) => countB - countA || wordA.localeCompare(wordB, 'nb'))
    .slice(0, limit)
  return Object.fromEntries(entries)
}

/**
 * The public description of a poll: what GET /api/polls/:id and every SSE `tally` event carry, and what the
 * deck draws from the saved results when no server answers.
 */
export function buildStatus(
  poll: PollDefinition,
  state: { state: PollState, revealed: boolean },
  counted: { total: number, tallies: Record<string, number> },
): PollStatus {
  const options = pollOptions(poll)
  const status: PollStatus = {
    id: poll.id,
    kind: poll.kind,
    question: poll.question,
    options,
    state: state.state,
    revealed: poll.kind === 'quiz' && state.revealed,
    total: counted.total,
    tallies: {},
  }
  if (poll.kind === 'words') {
    status.tallies = mostFrequent(counted.tallies, WORD_CLOUD_MAX)
    status.distinctWords = Object.keys(counted.tallies).length
  }
  else {
    status.tallies = Object.fromEntries(options.map(option => [option.id, counted.tallies[option.id] ?? 0]))
  }
  if (poll.kind === 'quiz' && state.revealed)
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
