/**
 * `npm run build`: the deck as a static SPA in dist/ (OUT_DIR; hosted under BASE, default /), with a link-preview image,
 * and the phone voting page in dist/vote/, which `npm start` serves at /v.
 */
import { readFile, writeFile } from 'node:fs/promises'
import process from 'node:process'
import { socialMetaTags, writeOgImage } from './og-image.ts'
import { bin, run } from './run.ts'

const outDir = process.env.OUT_DIR ?? 'dist'
const base = withSlash(process.env.BASE ?? '/')
// Where the deck will be hosted (e.g. the Pages URL); crawlers want absolute URLs in link previews.
const siteUrl = withSlash(process.env.SITE_URL ?? base)

function withSlash(path: string): string {
  return path.endsWith('/')
    ? path
    : `${path}/`
}

await run(bin('slidev'), [
  'build',
  '--out',
  outDir,
  '--base',
  base,
])
await run(bin('vite'), [
  'build',
  '--config',
  'vote/vite.config.ts',
  '--outDir',
  `${outDir}/vote`,
  '--emptyOutDir',
])
await writeOgImage(outDir, base)

// index.html is the SPA; 404.html is the same page, which static hosts serve for deep links like /5.
for (const file of [`${outDir}/index.html`, `${outDir}/404.html`]) {
  const html = await readFile(file, 'utf8')
  await writeFile(file, html
    // Slidev writes the favicon path as given; under a sub-path it must carry the base.
    .replace('href="/favicon.svg"', `href="${base}favicon.svg"`)
    .replace('</head>', `${socialMetaTags(siteUrl)}\n</head>`))
}
