/**
 * What the servers answered to every vote, per voter, and the check of the stored votes against it: every
 * acknowledged vote must be stored unless a later vote of the same voter that got no clear answer replaced it;
 * nothing may be stored that was never sent, and no voter counts twice (the store keeps one vote per voter).
 */

/** `acked`: 201. `refused`: a 4xx that stores nothing. `unknown`: no answer, or 503 (may or may not count). */
export type Outcome = 'acked' | 'refused' | 'unknown'

export function outcomeOf(status: number | undefined): Outcome {
  if (status === 201)
    return 'acked'
  if (status !== undefined && status >= 400 && status < 500)
    return 'refused'
  return 'unknown'
}

interface Attempt {
  items: string
  outcome: Outcome
}

export interface LedgerReport {
  voters: number
  sent: number
  acked: number
  refused: number
  unknown: number
  /** Voters with a vote in the store. */
  stored: number
  /** Voters whose acknowledged vote is missing from the store. */
  lost: string[]
  /** Voters whose stored vote is none they could have ended with. */
  wrong: string[]
  /** Stored voters this ledger never sent. */
  strangers: string[]
}

const key = (items: readonly string[]) => [...items].sort().join('|')

export function createLedger() {
  const byVoter = new Map<string, Attempt[]>()
  return {
    /** Record attempts of one voter in the order they were sent (one at a time per voter). */
    record(voter: string, items: readonly string[], outcome: Outcome): void {
      const attempts = byVoter.get(voter) ?? []
      attempts.push({
        items: key(items),
        outcome,
      })
      byVoter.set(voter, attempts)
    },

    /** The vote each voter is known to have in the store when every answer was clear: voter → items key. */
    expected(): Map<string, string> {
      const expected = new Map<string, string>()
      for (const [voter, attempts] of byVoter) {
        const last = attempts.findLast(attempt => attempt.outcome === 'acked')
        if (last)
          expected.set(voter, last.items)
      }
      return expected
    },

    check(stored: ReadonlyMap<string, readonly string[]>): LedgerReport {
      const report: LedgerReport = {
        voters: byVoter.size,
        sent: 0,
        acked: 0,
        refused: 0,
        unknown: 0,
        stored: stored.size,
        lost: [],
        wrong: [],
        strangers: [
          ...stored.keys(),
        ].filter(voter => !byVoter.has(voter)),
      }
      for (const [voter, attempts] of byVoter) {
        report.sent += attempts.length
        for (const attempt of attempts)
          report[attempt.outcome]++
        const lastAcked = attempts.findLastIndex(attempt => attempt.outcome === 'acked')
        const allowed = new Set(attempts
          .filter((attempt, index) => index > lastAcked && attempt.outcome === 'unknown')
          .map(attempt => attempt.items))
        if (lastAcked >= 0)
          allowed.add(attempts[lastAcked]!.items)
        const vote = stored.get(voter)
        if (vote === undefined) {
          if (lastAcked >= 0)
            report.lost.push(voter)
        }
        else if (!allowed.has(key(vote))) {
          report.wrong.push(voter)
        }
      }
      return report
    },
  }
}

export type Ledger = ReturnType<typeof createLedger>

/** Tallies as the stored votes imply them: voters per item, and voters in total. */
export function tallyOf(stored: ReadonlyMap<string, readonly string[]>): { total: number, tallies: Record<string, number>, distinct: number } {
  const tallies: Record<string, number> = {}
  for (const items of stored.values()) {
    for (const item of items)
      tallies[item] = (tallies[item] ?? 0) + 1
  }
  return { total: stored.size, tallies, distinct: Object.keys(tallies).length }
}

export function describeReport(report: LedgerReport): string {
  return `${report.sent} votes sent by ${report.voters} voters: ${report.acked} acknowledged (201), ${report.refused} refused (4xx), `
    + `${report.unknown} without a clear answer (503 or no answer); ${report.stored} voters stored; `
    + `${report.lost.length} acknowledged votes lost, ${report.wrong.length} stored votes that were never the voter's last, ${report.strangers.length} unknown voters`
}
