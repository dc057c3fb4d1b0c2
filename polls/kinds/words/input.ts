import type { KindInput } from '../kind-views.ts'
import type { WordsPoll } from './index.ts'
import WordInput from './WordInput.vue'

export const wordsInput: KindInput<WordsPoll> = {
  Input: WordInput,
  inputProps: () => ({}),
  draft: given => typeof given === 'string'
    ? given
    : '',
}
