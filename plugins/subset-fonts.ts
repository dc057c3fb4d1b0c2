/**
 * Trims the deck's web fonts to the characters Norwegian text needs, so slide 1 stays within its transfer budget
 * (BENCHMARKS.md): Fontsource's latin files carry ~400 glyphs, most of them symbols no slide shows. Kept: ASCII,
 * the Latin-1 letters (names from elsewhere in Europe in the audience's answers), typographic punctuation, and every
 * character the talk's own files use. A character outside the set falls back to the system font, glyph by glyph.
 */
import type { Plugin } from 'vite'
import { Buffer } from 'node:buffer'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import process from 'node:process'
import subsetFont from 'subset-font'

const BASE_CHARACTERS = [
  range(0x20, 0x7E),
  range(0xC0, 0xFF),
  '«»°·§©',
  '–—‘’‚“”„…•‹›€™−',
].join('')

/** Where the talk's own text lives. */
const TEXT_SOURCES = [
  'slides.md',
  'snippets',
  'components',
  'layouts',
  'handout',
  'slide-top.vue',
]

function range(from: number, to: number): string {
  return String.fromCharCode(...Array.from({ length: to - from + 1 }, (_, index) => from + index))
}

function textOf(path: string): string {
  const info = statSync(path, { throwIfNoEntry: false })
  if (!info)
    return ''
  return info.isDirectory()
    ? readdirSync(path).map(entry => textOf(join(path, entry))).join('')
    : readFileSync(path, 'utf8')
}

export function subsetFontsPlugin(root = process.cwd()): Plugin {
  return {
    name: 'samskaping-subset-fonts',
    apply: 'build',
    async generateBundle(_, bundle) {
      const talkText = TEXT_SOURCES.map(source => textOf(resolve(root, source))).join('')
      const characters = [
        ...new Set(BASE_CHARACTERS + talkText),
      ].filter(char => char >= ' ').join('')
      for (const asset of Object.values(bundle)) {
        if (asset.type !== 'asset' || !/source-sans-3-.*\.woff2$/.test(asset.fileName))
          continue
        asset.source = await subsetFont(Buffer.from(asset.source), characters, { targetFormat: 'woff2' })
      }
    },
  }
}
