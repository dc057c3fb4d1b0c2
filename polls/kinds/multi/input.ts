import type { KindInput } from '../kind-views.ts'
import type { MultiPoll } from './index.ts'
import { choiceInput } from '../choice/input.ts'

export const multiInput: KindInput<MultiPoll> = {
  ...choiceInput,
  inputProps: poll => ({ options: poll.options, multiple: true, name: poll.id }),
  // Checkboxes bind to a list, even an empty one.
  draft: given => Array.isArray(given)
    ? given
    : [],
  hint: 'Velg ett eller flere svar.',
}
