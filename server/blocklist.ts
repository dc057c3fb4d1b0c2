/**
 * The block list for free text (POLL_BLOCKLIST, else server/blocklist.txt): answers containing a listed word or
 * phrase are refused on input, so they never reach the slide. Server-side only: the voting page stays small and
 * the list is not handed to whoever wants to find a way round it.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { normaliseText } from '../polls/kinds/words/index.ts'

export const SHIPPED_BLOCKLIST = fileURLToPath(new URL('blocklist.txt', import.meta.url))

export interface Blocklist {
  /** True when the text, normalised like an answer, holds a listed term as whole words. */
  blocks: (text: string) => boolean
}

/**
 * The words of a text normalised as answers are (polls/kinds/words), so «FAEN», «faen » and «Faen!» are the same:
 * letters and digits in a row; everything else (spaces, punctuation, emoji) separates words.
 */
function normalisedWords(text: string): string[] {
  return normaliseText(text).split(/[^\p{L}\p{N}\p{M}]+/u).filter(Boolean)
}

export function createBlocklist(terms: readonly string[]): Blocklist {
  const blocked = new Set(terms.map(term => normalisedWords(term).join(' ')).filter(Boolean))
  const longest = Math.max(0, ...[...blocked].map(term => term.split(' ').length))
  return {
    blocks(text) {
      const words = normalisedWords(text)
      // Every run of up to `longest` words, so «heil hitler» is found inside a longer phrase, «faen» inside «faen ta».
      for (let start = 0; start < words.length; start++) {
        for (let length = 1; length <= longest && start + length <= words.length; length++) {
          if (blocked.has(words.slice(start, start + length).join(' ')))
            return true
        }
      }
      return false
    },
  }
}

/** The list in `file`: one term per line, `#` starts a comment line. A missing file stops the server at start. */
export function loadBlocklist(file: string): Blocklist {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  }
  catch (error) {
    throw new Error(`POLL_BLOCKLIST: kunne ikke lese ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`)
  }
  return createBlocklist(text.split(/\r?\n/).filter(line => !line.trimStart().startsWith('#')))
}
