import type { KindInput } from '../kind-views.ts'
import type { ChoicePoll } from './index.ts'
import OptionList from './OptionList.vue'

// Any poll with options can use it: quiz and multi build on it.
export const choiceInput: KindInput<Pick<ChoicePoll, 'id' | 'options'>> = {
  Input: OptionList,
  inputProps: poll => ({ options: poll.options, multiple: false, name: poll.id }),
  draft: given => typeof given === 'string'
    ? given
    : undefined,
}
