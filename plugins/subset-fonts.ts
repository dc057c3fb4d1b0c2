/**
 * Trims web fonts to the characters a page needs, so it stays within its transfer budget (BENCHMARKS.md): Fontsource's
 * latin files carry ~400 glyphs, most of them symbols no page shows. The deck keeps ASCII, the Latin-1 letters (names
 * from elsewhere in Europe in the audience's answers), typographic punctuation, and every character the talk's own
 * files use; the voting page (vote/vite.config.ts) keeps less. A character outside the set falls back to the system
 * font, glyph by glyph.
 */
import type { Plugin } from 'vite'
import { Buffer } from 'node:buffer'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import process from 'node:process'
import subsetFont from 'subset-font'

export interface FontSubset {
  /** Characters every subset keeps, whatever the sources say. */
  characters: string
  /** Files and folders (from the project root) whose text the fonts must show. */
  sources: string[]
  /** Which characters of the sources count (all by default), e.g. none of the ASCII symbols of code. */
  fromSources?: RegExp
  /**
   * OpenType layout features to keep (all when unset). None at all is ~2.5 kB less per weight for Source Sans 3
   * (kerning alone ~1.3 kB less), which matters on a page counted in kilobytes.
   */
  features?: string[]
  /** Keep the fonts' hinting (default), which helps low-resolution projectors more than phones. */
  hinting?: boolean
}

export function codeRange(from: number, to: number): string {
  return String.fromCharCode(...Array.from({ length: to - from + 1 }, (_, index) => from + index))
}

/** The deck: slides, their components, the handout and the reading view. */
export const DECK_SUBSET: FontSubset = {
  characters: [
    codeRange(0x20, 0x7E),
    codeRange(0xC0, 0xFF),
    '«»°·§©',
    '–—‘’‚“”„…•‹›€™−',
  ].join(''),
  sources: [
    'slides.md',
    'snippets',
    'components',
    'layouts',
    'handout',
    'reading',
    'results',
    'slide-top.vue',
  ],
}

function textOf(path: string): string {
  const info = statSync(path, { throwIfNoEntry: false })
  if (!info)
    return ''
  return info.isDirectory()
    ? readdirSync(path).map(entry => textOf(join(path, entry))).join('')
    : readFileSync(path, 'utf8')
}

/** Every character a subset keeps, once each. */
export function subsetCharacters(subset: FontSubset, root = process.cwd()): string {
  const text = [
    ...subset.sources.map(source => textOf(resolve(root, source))).join(''),
  ]
    .filter(char => !subset.fromSources || subset.fromSources.test(char))
    .join('')
  return [
    ...new Set(subset.characters + text),
  ].filter(char => char >= ' ').join('')
}

export function subsetFontsPlugin(subset: FontSubset = DECK_SUBSET, root = process.cwd()): Plugin {
  return {
    name: 'samskaping-subset-fonts',
    apply: 'build',
    async generateBundle(_, bundle) {
      const characters = subsetCharacters(subset, root)
      for (const asset of Object.values(bundle)) {
        if (asset.type !== 'asset' || !/source-sans-3-.*\.woff2$/.test(asset.fileName))
          continue
        asset.source = await subsetFont(Buffer.from(asset.source), characters, {
          targetFormat: 'woff2',
          keepFeatures: subset.features,
          noHinting: subset.hinting === false,
        })
      }
    },
  }
}
