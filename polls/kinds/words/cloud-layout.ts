import { rankWords } from './index.ts'

/** Sizing a word cloud so it fits its box on the 980×552 canvas, with no word below 24 px. */

export interface SizedWord {
  word: string
  count: number
  /** Font size in px on the slide canvas. */
  px: number
}

export interface CloudBox {
  width: number
  height: number
}

export const MIN_WORD_PX = 24
const MAX_WORD_PX = 64
/** Average glyph width of bold Source Sans 3, and the gaps the cloud leaves around each word (px). */
const GLYPH_EM = 0.52
const GAP_X = 24
const GAP_Y = 4
/** Rows of mixed sizes never pack perfectly. */
const PACKING = 0.7

function area(word: string, px: number): number {
  return ([...word].length * GLYPH_EM * px + GAP_X) * (1.25 * px + GAP_Y)
}

/**
 * Ranks words by count, sizes them by the square root of their share of the most frequent word, shrinks
 * everything until the estimated area fits `box`, and drops the least frequent words that still do not.
 */
export function layoutWordCloud(tallies: Record<string, number>, box: CloudBox, limit = 40): SizedWord[] {
  const ranked = rankWords(tallies, limit)
  const most = ranked[0]?.[1] ?? 1
  const budget = box.width * box.height * PACKING
  let words = ranked.map(([word, count]) => ({ word, count, px: MIN_WORD_PX + (MAX_WORD_PX - MIN_WORD_PX) * Math.sqrt(count / most) }))

  const used = (list: SizedWord[]) => list.reduce((sum, { word, px }) => sum + area(word, px), 0)
  const scale = Math.min(1, Math.sqrt(budget / Math.max(1, used(words))))
  words = words.map(entry => ({
    ...entry,
    px: Math.round(Math.max(MIN_WORD_PX, entry.px * scale)),
  }))
  while (words.length > 1 && used(words) > budget)
    words.pop()
  return words
}
