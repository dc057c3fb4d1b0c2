// subset-font ships no types; this is the one call the font plugin makes.
declare module 'subset-font' {
  import type { Buffer } from 'node:buffer'

  export default function subsetFont(
    font: Buffer,
    text: string,
    options?: { targetFormat?: 'woff2' | 'woff' | 'truetype' | 'sfnt' },
  ): Promise<Buffer>
}
