/**
 * `npm run export`: the talk as files for organizers, written into exports/ (EXPORT_DIR): the slide PDF (a page per
 * click step, outline, metadata), an A4 handout with speaker notes, a PNG per slide and a PPTX, all tagged for
 * screen readers where the format allows. It prints the built deck (dist/, DIST_DIR; built first when missing or
 * stale) in one Chromium. Poll slides show the results in POLL_SNAPSHOT (default snippets/poll-results.json) of one
 * session: POLL_SESSION or `--session "Arendalsuka 2027"` (an id or a name), else the newest.
 * EXPORT_FORMATS=pdf,handout,png,pptx picks formats.
 */
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import process from 'node:process'
import { parseArgs } from 'node:util'
import { exportHandout } from '../export/handout-pdf.ts'
import { printWithBuiltDeck } from '../export/printing.ts'
import { exportSlides } from '../export/slide-files.ts'
import { bakedResults, savedResultsFile } from '../plugins/poll-snapshot.ts'

const FORMATS = ['pdf', 'handout', 'png', 'pptx'] as const
type Format = typeof FORMATS[number]

const outDir = process.env.EXPORT_DIR ?? 'exports'
const distDir = resolve(process.env.DIST_DIR ?? 'dist')
const snapshotFile = savedResultsFile()
try {
  const session = parseArgs({
    options: {
      session: { type: 'string' },
    },
  }).values.session
  if (session !== undefined)
    process.env.POLL_SESSION = session
  bakedResults(snapshotFile) // a session that is not there stops the export before anything is built
}
catch (error) {
  console.error((error as Error).message)
  process.exit(1)
}
const asked = (process.env.EXPORT_FORMATS ?? FORMATS.join(',')).split(',').map(format => format.trim())
const unknown = asked.filter(format => !(FORMATS as readonly string[]).includes(format))
if (unknown.length) {
  console.error(`Ukjent format i EXPORT_FORMATS: ${unknown.join(', ')}. Velg blant ${FORMATS.join(', ')}.`)
  process.exit(1)
}
const formats = new Set(asked as Format[])
const exportName = 'partnerskap-for-inkludering'

const started = performance.now()
await mkdir(outDir, { recursive: true })
let built = started
await printWithBuiltDeck(distDir, snapshotFile, async (browser, deckUrl, talk) => {
  built = performance.now()
  await Promise.all([
    formats.has('handout') && exportHandout(browser, deckUrl, talk, join(outDir, `${exportName}-utdelingsark.pdf`)),
    (formats.has('pdf') || formats.has('png') || formats.has('pptx')) && exportSlides(browser, deckUrl, talk, {
      pdf: formats.has('pdf')
        ? join(outDir, `${exportName}.pdf`)
        : undefined,
      pngDir: formats.has('png')
        ? join(outDir, 'png')
        : undefined,
      pptx: formats.has('pptx')
        ? join(outDir, `${exportName}.pptx`)
        : undefined,
    }),
  ])
})

if (!process.exitCode) {
  const seconds = (ms: number) => (ms / 1000).toFixed(1)
  console.log(`Eksporterte ${[...formats].join(', ')} til ${outDir}/ på ${seconds(performance.now() - built)} s${
    built - started > 1000
      ? ` (pluss ${seconds(built - started)} s bygging)`
      : ''}`)
}
