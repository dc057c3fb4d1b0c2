import type { KindViews } from '../kind-views.ts'
import type { MultiPoll } from './index.ts'
import { choiceViews } from '../choice/views.ts'

export const multiViews: KindViews<MultiPoll> = {
  ...choiceViews,
  inputProps: poll => ({ options: poll.options, multiple: true, name: poll.id }),
  // Checkboxes bind to a list, even an empty one.
  draft: given => Array.isArray(given)
    ? given
    : [],
  hint: 'Velg ett eller flere svar.',
}
