import type { KindViews } from '../kind-views.ts'
import type { WordsPoll } from './index.ts'
import WordCloud from './WordCloud.vue'
import WordInput from './WordInput.vue'

export const wordsViews: KindViews<WordsPoll> = {
  Result: WordCloud,
  resultProps: status => ({ tallies: status.tallies, distinct: status.distinctWords }),
  Input: WordInput,
  inputProps: () => ({}),
  draft: given => typeof given === 'string'
    ? given
    : '',
}
