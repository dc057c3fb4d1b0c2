import type { Checked, PollBase } from '../../types.ts'
import type { Counted, KindModule } from '../kind-module.ts'
import * as v from 'valibot'

/** One short free text per voter (1–40 characters), shown as a word cloud. */
export interface WordsPoll extends PollBase {
  kind: 'words'
}

export const WORD_MAX_LENGTH = 40

/** A words poll's status lists only its most frequent words (the CSV export has all of them). */
export const WORD_CLOUD_MAX = 100

// Invisible characters that only make equal words look different: dropped.
const INVISIBLE = /[\u00AD\u200B\u2060\uFEFF]/g
// Control, lone-surrogate and bidirectional-override characters: rejected (they can spoof how a word reads).
const FORBIDDEN = /[\p{Cc}\p{Cs}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u

/** Trims, collapses inner whitespace, lower-cases (Norwegian rules) and composes (NFC) a text. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(/\s+/gu, ' ')
    .trim()
    .toLocaleLowerCase('nb')
    .normalize('NFC')
}

/** A free-text answer normalised (normaliseText) and checked: no control characters, 1–40 characters. */
export function normaliseWord(text: string): Checked<string> {
  const word = normaliseText(text)
  if (FORBIDDEN.test(word))
    return { ok: false, error: 'Teksten kan ikke inneholde kontrolltegn.' }
  const length = [...word].length
  if (length === 0)
    return { ok: false, error: 'Skriv et ord eller en kort frase.' }
  if (length > WORD_MAX_LENGTH)
    return { ok: false, error: `Teksten er for lang: høyst ${WORD_MAX_LENGTH} tegn.` }
  return { ok: true, value: word }
}

/** Words with votes, most frequent first, ties in Norwegian alphabetical order; at most `limit`. */
export function rankWords(tallies: Record<string, number>, limit = Infinity): [word: string, count: number][] {
  return Object.entries(tallies)
    .filter(([, count]) => count > 0)
    .sort(([wordA, countA], [wordB, countB]) => countB - countA || wordA.localeCompare(wordB, 'nb'))
    .slice(0, limit)
}

export const words: KindModule<WordsPoll> = {
  choice: () => v.pipe(
    v.string('Svaret må være tekst.'),
    v.rawTransform(({ dataset, addIssue, NEVER }): Counted => {
      const word = normaliseWord(dataset.value)
      if (!word.ok) {
        addIssue({ message: word.error })
        return NEVER
      }
      return {
        choice: word.value,
        items: [word.value],
      }
    }),
  ),
  options: () => [],
  status: (_poll, tallies, _revealed, distinct) => ({
    tallies: Object.fromEntries(rankWords(tallies, WORD_CLOUD_MAX)),
    distinctWords: distinct,
  }),
  csvRows: (_poll, tallies) => rankWords(tallies).map(([word, count]) => [word, word, count]),
  revealable: false,
  freeText: true,
  ranked: WORD_CLOUD_MAX,
  counts: 'votes',
}
