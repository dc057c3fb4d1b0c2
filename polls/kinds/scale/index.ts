import type { PollBase, PollOption } from '../../types.ts'
import type { Counted, KindModule } from '../kind-module.ts'
import * as v from 'valibot'
import { optionRows, optionTallies } from '../kind-module.ts'

/** One whole number from min to max per voter. */
export interface ScalePoll extends PollBase {
  kind: 'scale'
  min: number
  max: number
  minLabel: string
  maxLabel: string
}

export type ScaleEnds = Pick<ScalePoll, 'min' | 'max'> & Partial<Pick<ScalePoll, 'minLabel' | 'maxLabel'>>

/** The words that explain an end of the scale («Forsiktige» for 1), or undefined between the ends. */
export function scaleEndLabel(value: number | string, ends: ScaleEnds): string | undefined {
  const number = Number(value)
  return number === ends.min
    ? ends.minLabel
    : number === ends.max
      ? ends.maxLabel
      : undefined
}

/** «1 – Forsiktige» at an end, «3» between: how a value reads without the slide's layout. */
export function scaleValueText(value: number | string, ends: ScaleEnds): string {
  const end = scaleEndLabel(value, ends)
  return end
    ? `${value} – ${end}`
    : String(value)
}

function values(poll: ScalePoll): PollOption[] {
  return Array.from({ length: poll.max - poll.min + 1 }, (_, index) => String(poll.min + index))
    .map(value => ({ id: value, label: value }))
}

export const scale: KindModule<ScalePoll> = {
  choice(poll) {
    const message = `Svaret må være et heltall fra ${poll.min} til ${poll.max}.`
    return v.pipe(
      v.number(message),
      v.integer(message),
      v.minValue(poll.min, message),
      v.maxValue(poll.max, message),
      v.transform((value): Counted => ({
        choice: value,
        items: [
          String(value),
        ],
      })),
    )
  },
  options: values,
  status: (poll, tallies) => ({
    tallies: optionTallies(values(poll), tallies),
    min: poll.min,
    max: poll.max,
    minLabel: poll.minLabel,
    maxLabel: poll.maxLabel,
  }),
  csvRows: (poll, tallies) => optionRows(values(poll), tallies, option => scaleValueText(option.id, poll)),
  revealable: false,
  freeText: false,
  counts: 'votes',
}
