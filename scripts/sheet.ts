/**
 * `npm run sheet`: a contact sheet of the deck, every slide in light and in dark on one image, written to
 * exports/kontaktark.png (EXPORT_DIR). Like the export it prints the built deck (dist/, DIST_DIR; built first when
 * missing or stale), with the poll results in POLL_SNAPSHOT.
 */
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import process from 'node:process'
import { writeContactSheet } from '../export/contact-sheet.ts'
import { printWithBuiltDeck } from '../export/printing.ts'
import { savedResultsFile } from '../plugins/poll-snapshot.ts'

const outDir = process.env.EXPORT_DIR ?? 'exports'
const distDir = resolve(process.env.DIST_DIR ?? 'dist')
const snapshotFile = savedResultsFile()
const output = join(outDir, 'kontaktark.png')

await mkdir(outDir, { recursive: true })
await printWithBuiltDeck(distDir, snapshotFile, async (browser, deckUrl, talk) => {
  await writeContactSheet(browser, deckUrl, talk, output)
  console.log(`Skrev kontaktarket til ${output}`)
})
