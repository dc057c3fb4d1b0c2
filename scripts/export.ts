/**
 * `npm run export`: the talk as files for organizers, written into exports/ (EXPORT_DIR):
 * the slide PDF (clicks expanded, outline, metadata), an A4 handout PDF with speaker notes, PNG images and a PPTX.
 * Poll slides show the final results from the poll snapshot (POLL_SNAPSHOT, default snippets/poll-results.json).
 * EXPORT_FORMATS=pdf,handout,png,pptx picks formats.
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises'
import process from 'node:process'
import { parseSync } from '@slidev/parser'
import { resolveChromium } from './browser.ts'
import { printHandout } from './handout.ts'
import { bin, run } from './run.ts'

const outDir = process.env.EXPORT_DIR ?? 'exports'
const formats = new Set((process.env.EXPORT_FORMATS ?? 'pdf,handout,png,pptx').split(',').map(f => f.trim()))
const exportName = 'partnerskap-for-inkludering'
const executablePath = resolveChromium()
const slideCount = parseSync(await readFile('slides.md', 'utf8'), 'slides.md').slides.length

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
  // Slide by slide: each image is taken after its own page load, so a slow chunk cannot leave a gap.
  await rm(`${outDir}/png`, { recursive: true, force: true })
  await slidevExport([
    '--format',
    'png',
    '--per-slide',
    '--output',
    `${outDir}/png`,
  ])
  const images = (await readdir(`${outDir}/png`)).filter(file => file.endsWith('.png'))
  if (images.length !== slideCount)
    throw new Error(`PNG export wrote ${images.length} images for ${slideCount} slides.`)
}
// One PowerPoint slide per slide, every click revealed (Slidev's default for PPTX is a slide per click).
if (formats.has('pptx')) {
  await slidevExport([
    '--format',
    'pptx',
    '--no-with-clicks',
    '--output',
    `${outDir}/${exportName}.pptx`,
  ])
}

console.log(`Exported ${[...formats].join(', ')} into ${outDir}/ in ${((performance.now() - started) / 1000).toFixed(1)} s`)
