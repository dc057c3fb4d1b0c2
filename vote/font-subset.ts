import type { FontSubset } from '../plugins/subset-fonts.ts'
import { codeRange } from '../plugins/subset-fonts.ts'

/**
 * The glyphs a phone shows: letters, digits and the punctuation people type, and every other character the page's
 * texts and polls use (its sources are code: only their characters beyond printable ASCII count). Anything else falls back to the
 * phone's font. No OpenType features (kerning, ligatures): they would cost 1.4 kB of the page's 50 kB budget.
 */
export const voteFontSubset: FontSubset = {
  characters: `${codeRange(0x41, 0x5A)}${codeRange(0x61, 0x7A)}${codeRange(0x30, 0x39)} .,:;!?-'"()/=+%&@#æøåÆØÅéÉ«»–…·`,
  sources: [
    'vote',
    'polls',
    'snippets/polls.ts',
    'components/SesamMotif.vue',
  ],
  fromSources: /[^\u0020-\u007E]/,
  features: [],
  hinting: false,
}
