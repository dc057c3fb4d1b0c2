import type { KindInput } from '../kind-views.ts'
import type { ScalePoll } from './index.ts'
import ScaleChoice from './ScaleChoice.vue'

export const scaleInput: KindInput<ScalePoll> = {
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
