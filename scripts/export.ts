/**
 * `npm run export`: the talk as files for organizers, written into exports/.
 * Poll slides show the final results from snippets/poll-results.json (see components/Poll.vue).
 */
import { mkdir } from 'node:fs/promises'
import process from 'node:process'
import { resolveChromium } from './browser.ts'
import { bin, run } from './run.ts'

const outDir = process.env.EXPORT_DIR ?? 'exports'
const name = 'partnerskap-for-inkludering'
const executablePath = resolveChromium()

await mkdir(outDir, { recursive: true })
await run(bin('slidev'), [
  'export',
  '--output',
  `${outDir}/${name}.pdf`,
  '--with-clicks',
  '--with-toc',
  '--timeout',
  '60000',
  '--wait-until',
  'networkidle',
  '--executable-path',
  executablePath,
])
console.log(`Wrote ${outDir}/${name}.pdf`)
