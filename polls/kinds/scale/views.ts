import type { KindViews } from '../kind-views.ts'
import type { ScalePoll } from './index.ts'
import ScaleChoice from './ScaleChoice.vue'
import ScaleResult from './ScaleResult.vue'

export const scaleViews: KindViews<ScalePoll> = {
  Result: ScaleResult,
  resultProps: status => ({
    options: status.options,
    tallies: status.tallies,
    total: status.total,
    minLabel: status.minLabel,
    maxLabel: status.maxLabel,
  }),
  Input: ScaleChoice,
  inputProps: poll => ({
    min: poll.min,
    max: poll.max,
    minLabel: poll.minLabel,
    maxLabel: poll.maxLabel,
    name: poll.id,
  }),
  draft: given => typeof given === 'number'
    ? given
    : undefined,
}
