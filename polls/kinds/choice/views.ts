import type { KindViews } from '../kind-views.ts'
import type { ChoicePoll } from './index.ts'
import OptionList from './OptionList.vue'
import PollBars from './PollBars.vue'

// Any poll with options can use these: quiz and multi build on them.
export const choiceViews: KindViews<Pick<ChoicePoll, 'id' | 'options'>> = {
  Result: PollBars,
  resultProps: status => ({ options: status.options, tallies: status.tallies, total: status.total }),
  Input: OptionList,
  inputProps: poll => ({ options: poll.options, multiple: false, name: poll.id }),
  draft: given => typeof given === 'string'
    ? given
    : undefined,
}
