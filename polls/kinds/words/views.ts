import type { KindViews } from '../kind-views.ts'
import type { WordsPoll } from './index.ts'
import { wordsInput } from './input.ts'
import WordCloud from './WordCloud.vue'

export const wordsViews: KindViews<WordsPoll> = {
  ...wordsInput,
  Result: WordCloud,
  resultProps: status => ({ tallies: status.tallies, distinct: status.distinctWords }),
}
