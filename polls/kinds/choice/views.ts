import type { KindViews } from '../kind-views.ts'
import type { ChoicePoll } from './index.ts'
import { choiceInput } from './input.ts'
import PollBars from './PollBars.vue'

// Any poll with options can use these: quiz and multi build on them.
export const choiceViews: KindViews<Pick<ChoicePoll, 'id' | 'options'>> = {
  ...choiceInput,
  Result: PollBars,
  resultProps: status => ({ options: status.options, tallies: status.tallies, total: status.total }),
}
