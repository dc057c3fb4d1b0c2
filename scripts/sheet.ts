/**
 * `npm run sheet`: a contact sheet of the deck, every slide in light and in dark on one image, written to
 * exports/kontaktark.png (EXPORT_DIR). Like the export it prints the built deck (dist/, DIST_DIR; built first when
 * missing or stale), with the poll results in POLL_SNAPSHOT.
 */
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import process from 'node:process'
import { chromium } from 'playwright-chromium'
import { builtBase, ensureBuilt } from '../export/built-deck.ts'
import { writeContactSheet } from '../export/contact-sheet.ts'
import { readTalk } from '../export/talk.ts'
import { createStaticHandler } from '../server/static.ts'
import { launchOptions } from './browser.ts'
import { serveFetch } from './serve-fetch.ts'

const outDir = process.env.EXPORT_DIR ?? 'exports'
const distDir = resolve(process.env.DIST_DIR ?? 'dist')
const snapshotFile = resolve(process.env.POLL_SNAPSHOT ?? 'snippets/poll-results.json')
const output = join(outDir, 'kontaktark.png')

await ensureBuilt(distDir, snapshotFile)
const talk = await readTalk()
await mkdir(outDir, { recursive: true })
const server = await serveFetch(createStaticHandler(distDir), {
  base: builtBase(distDir),
})
const browser = await chromium.launch(launchOptions())
try {
  await writeContactSheet(browser, server.url, talk, output)
  console.log(`Skrev kontaktarket til ${output}`)
}
catch (error) {
  console.error(error instanceof Error
    ? error.message
    : error)
  process.exitCode = 1
}
finally {
  await browser.close()
  await server.close()
}
