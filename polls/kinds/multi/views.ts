import type { KindViews } from '../kind-views.ts'
import type { MultiPoll } from './index.ts'
import { choiceViews } from '../choice/views.ts'
import { multiInput } from './input.ts'

export const multiViews: KindViews<MultiPoll> = {
  ...choiceViews,
  ...multiInput,
}
