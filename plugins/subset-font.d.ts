// subset-font ships no types; this is the one call the font plugin makes.
declare module 'subset-font' {
  import type { Buffer } from 'node:buffer'

  export default function subsetFont(
    font: Buffer,
    text: string,
    options?: {
      targetFormat?: 'woff2' | 'woff' | 'truetype' | 'sfnt'
      /** OpenType layout features to keep (all by default). */
      keepFeatures?: string[]
      /** Drop hinting instructions (screens of phones do not need them). */
      noHinting?: boolean
    },
  ): Promise<Buffer>
}
