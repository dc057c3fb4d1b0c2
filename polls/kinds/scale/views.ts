import type { KindViews } from '../kind-views.ts'
import type { ScalePoll } from './index.ts'
import { scaleInput } from './input.ts'
import ScaleResult from './ScaleResult.vue'

export const scaleViews: KindViews<ScalePoll> = {
  ...scaleInput,
  Result: ScaleResult,
  resultProps: status => ({
    options: status.options,
    tallies: status.tallies,
    total: status.total,
    minLabel: status.minLabel,
    maxLabel: status.maxLabel,
  }),
}
