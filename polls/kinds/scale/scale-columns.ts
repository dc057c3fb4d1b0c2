import type { PollOption } from '../../types.ts'
import type { ScaleEnds } from './index.ts'
import { percentOf } from '../../format.ts'
import { scaleEndLabel } from './index.ts'

/**
 * The columns of a scale result, placed in percent of the plot they share: every column gets the same width and the
 * same gap whatever its labels say and however wide the plot is, and a column's height is its count against the
 * largest count. Equal counts draw equal columns at every width.
 */
export interface ScaleColumn extends PollOption {
  count: number
  /** The words at an end of the scale («Forsiktige»), undefined between the ends. */
  end: string | undefined
  percent: number
  /** Left edge and width, in % of the plot's width. */
  left: number
  width: number
  /** In % of the track's height. */
  height: number
}

/** Space between two columns, in % of the plot's width. */
export const COLUMN_GAP_PERCENT = 3

export function scaleColumns(options: readonly PollOption[], tallies: Record<string, number>, total: number, ends: ScaleEnds): ScaleColumn[] {
  const counts = options.map(option => tallies[option.id] ?? 0)
  const most = Math.max(1, ...counts)
  const gaps = COLUMN_GAP_PERCENT * Math.max(0, options.length - 1)
  const width = (100 - gaps) / Math.max(1, options.length)
  return options.map((option, index) => ({
    ...option,
    count: counts[index]!,
    end: scaleEndLabel(option.id, ends),
    percent: percentOf(counts[index]!, total),
    left: index * (width + COLUMN_GAP_PERCENT),
    width,
    height: (counts[index]! / most) * 100,
  }))
}
