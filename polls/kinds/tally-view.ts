import type { PollOption } from '../types.ts'

/** What a result view of counted options draws (bars, scale columns). */
export interface TallyViewProps {
  options: PollOption[]
  tallies: Record<string, number>
  /** Voters; a multi poll's bars may add up to more. */
  total: number
}
