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

/** Composes (NFC), drops invisible characters, collapses whitespace and trims: a typed text as it is shown. */
export function tidyText(text: string): string {
  return text
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(/\s+/gu, ' ')
    .trim()
}

/** A tidied text, lower-cased (Norwegian rules): equal texts up to case and spacing are one answer. */
export function normaliseText(text: string): string {
  return tidyText(text).toLocaleLowerCase('nb').normalize('NFC')
}

/** A tidied text refused when it holds control characters, is empty or is longer than `max`; messages in Norwegian. */
export function checkText(text: string, max: number, messages: { empty: string, tooLong: (length: number) => string }): Checked<string> {
  if (FORBIDDEN.test(text))
    return { ok: false, error: 'Teksten kan ikke inneholde kontrolltegn.' }
  const length = [...text].length
  if (length === 0)
    return { ok: false, error: messages.empty }
  if (length > max) {
    return {
      ok: false,
      error: messages.tooLong(length),
    }
  }
  return { ok: true, value: text }
}

/** A free-text answer normalised (normaliseText) and checked: no control characters, 1–40 characters. */
export function normaliseWord(text: string): Checked<string> {
  return checkText(normaliseText(text), WORD_MAX_LENGTH, {
    empty: 'Skriv et ord eller en kort frase.',
    tooLong: () => `Teksten er for lang: høyst ${WORD_MAX_LENGTH} tegn.`,
  })
}

/** Most counted first, ties in Norwegian alphabetical order, so a list never flickers between equals. */
export function byCountThenText(countA: number, textA: string, countB: number, textB: string): number {
  return countB - countA || textA.localeCompare(textB, 'nb')
}

/** Words with votes, most frequent first, ties in Norwegian alphabetical order; at most `limit`. */
export function rankWords(tallies: Record<string, number>, limit = Infinity): [word: string, count: number][] {
  return Object.entries(tallies)
    .filter(([, count]) => count > 0)
    .sort(([wordA, countA], [wordB, countB]) => byCountThenText(countA, wordA, countB, wordB))
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
