/**
 * `npm run export`: the talk as files for organizers, written into exports/ (EXPORT_DIR):
 * the slide PDF (clicks expanded, outline, metadata), an A4 handout PDF with speaker notes, PNG images and a PPTX.
 * Poll slides show the final results from snippets/poll-results.json (Poll.vue in print mode).
 * EXPORT_FORMATS=pdf,handout,png,pptx picks formats.
 */
import { mkdir, rm } from 'node:fs/promises'
import process from 'node:process'
import { resolveChromium } from './browser.ts'
import { printHandout } from './handout.ts'
import { bin, run } from './run.ts'

const outDir = process.env.EXPORT_DIR ?? 'exports'
const formats = new Set((process.env.EXPORT_FORMATS ?? 'pdf,handout,png,pptx').split(',').map(f => f.trim()))
export const exportName = 'partnerskap-for-inkludering'
const executablePath = resolveChromium()

function slidevExport(args: string[]) {
  return run(bin('slidev'), [
    'export',
    '--timeout',
    '60000',
    '--wait-until',
    'networkidle',
    '--executable-path',
    executablePath,
    ...args,
  ])
}

const started = performance.now()
await mkdir(outDir, { recursive: true })

// The handout goes first: it renders every slide once and stops the export naming a slide that fails to render.
if (formats.has('handout'))
  await printHandout(`${outDir}/${exportName}-utdelingsark.pdf`)
if (formats.has('pdf')) {
  await slidevExport([
    '--output',
    `${outDir}/${exportName}.pdf`,
    '--with-clicks',
    '--with-toc',
  ])
}
if (formats.has('png')) {
  await rm(`${outDir}/png`, { recursive: true, force: true })
  await slidevExport([
    '--format',
    'png',
    '--output',
    `${outDir}/png`,
  ])
}
if (formats.has('pptx')) {
  await slidevExport([
    '--format',
    'pptx',
    '--output',
    `${outDir}/${exportName}.pptx`,
  ])
}

console.log(`Exported ${[...formats].join(', ')} into ${outDir}/ in ${((performance.now() - started) / 1000).toFixed(1)} s`)
