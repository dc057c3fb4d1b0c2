/**
 * `npm run build`: the deck as a static SPA in dist/ (OUT_DIR; hosted under BASE, default /), with a link-preview image,
 * and the phone voting page in dist/vote/, which `npm start` serves at /v.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { BUILT_RESULTS_FILE } from '../export/built-deck.ts'
import { readTalk } from '../export/talk.ts'
import { bakedResults } from '../plugins/poll-snapshot.ts'
import { firstPaintHtml } from '../styles/first-paint.ts'
import { resolveChromium } from './browser.ts'
import { preloadTags, socialMetaTags, writeOgImage } from './og-image.ts'
import { bin, run, signalRunning } from './run.ts'

const outDir = process.env.OUT_DIR ?? 'dist'
const base = withSlash(process.env.BASE ?? '/')
// Where the deck will be hosted (e.g. the Pages URL); crawlers want absolute URLs in link previews.
const siteUrl = withSlash(process.env.SITE_URL ?? base)

// The build's tools (and the browser that takes the preview image) get a temporary directory of their own, removed
// when the build ends: workbox-build, under vite-plugin-pwa, writes the service worker's source to a temporary file and
// never deletes it, one directory per build. Ctrl-C or a kill ends a process without 'exit': then the tools still
// running get the signal too (so that none goes on writing there), the directory goes, and the build ends by that same
// signal. (When a tool ends by it first, the build fails as that tool did, and 'exit' removes the directory.) The
// signals are listened for before the directory exists, so that none can come between the two (a listener runs only
// once this code is through).
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    signalRunning(signal)
    removeScratch()
    process.kill(process.pid, signal)
  })
}
const scratch = mkdtempSync(join(tmpdir(), 'samskaping-build-'))
for (const name of ['TMPDIR', 'TMP', 'TEMP'])
  process.env[name] = scratch
process.on('exit', removeScratch)

function removeScratch(): void {
  rmSync(scratch, { recursive: true, force: true })
}

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
// The results the deck shows, beside it: `npm run export` rebuilds when asked for other results.
await writeFile(join(outDir, BUILT_RESULTS_FILE), bakedResults())
// The link-preview image is a screenshot: a machine without a browser still gets the deck, with one warning.
const previewImage = hasChromium()
const slideOneFiles = previewImage
  ? await writeOgImage(outDir, base)
  : []
if (!previewImage)
  console.warn('Advarsel: fant ingen Chromium, så bygget får ikke forhåndsvisningsbilde for lenker (og-image.png). Installer chromium eller sett CHROMIUM_PATH.')

const talk = await readTalk()
const firstPaint = firstPaintHtml(talk.title, talk.author)

// index.html is the SPA; 404.html is the same page, which static hosts serve for deep links like /5.
for (const file of [`${outDir}/index.html`, `${outDir}/404.html`]) {
  const html = await readFile(file, 'utf8')
  await writeFile(file, html
    // Slidev writes the favicon path as given; under a sub-path it must carry the base.
    .replace('href="/favicon.svg"', `href="${base}favicon.svg"`)
    .replace('</head>', `${preloadTags(slideOneFiles, base, html)}\n${previewImage
      ? socialMetaTags(siteUrl)
      : ''}\n</head>`)
    .replace('<div id="app"></div>', `<div id="app">${firstPaint}</div>`))
}

function hasChromium(): boolean {
  try {
    return Boolean(resolveChromium())
  }
  catch {
    return false
  }
}
