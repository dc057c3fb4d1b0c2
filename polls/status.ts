import type { PollDefinition, PollState, PollStatus } from './types.ts'
import { kindOf } from './kinds/index.ts'

/**
 * The public description of a poll: what GET /api/polls/:id and every SSE `tally` event carry, and what the
 * deck draws from the saved results when no server answers. A quiz's `answer` (which only the server knows, or
 * the saved results of a quiz revealed in the talk) is part of it only once revealed.
 */
export function buildStatus(
  poll: PollDefinition,
  state: { state: PollState, revealed: boolean },
  counted: { total: number, tallies: Record<string, number>, distinct?: number },
  answer?: string,
): PollStatus {
  const kind = kindOf(poll)
  const revealed = kind.revealable && state.revealed
  return {
    id: poll.id,
    kind: poll.kind,
    question: poll.question,
    options: kind.options(poll),
    state: state.state,
    revealed,
    total: counted.total,
    ...kind.status(poll, counted.tallies, revealed
      ? answer
      : undefined, counted.distinct ?? Object.keys(counted.tallies).length),
  }
}
