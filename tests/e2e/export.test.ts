import type { PDFString } from 'pdf-lib'
import type { StructureElement } from '../../export/pdf-structure.ts'
import type { PollSnapshot, SavedResults } from '../../polls/types.ts'
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import process from 'node:process'
import JSZip from 'jszip'
import { PDFDict, PDFDocument, PDFName } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readStructure } from '../../export/pdf-structure.ts'
import { keyText, readSlides } from '../slides-source.ts'
import { launchBrowser } from './browser.ts'
import { allElements, readingOrderProblems, readTagTree, textsOf } from './pdf-reading-order.ts'

const slides = readSlides()
const root = resolve(import.meta.dirname, '../..')
// Fresh checkouts of this working tree: no dist/, no caches, only the installed packages shared. One exports the
// talk (cold, then warm); the other, in parallel, a talk with broken slides.
const checkout = mkdtempSync(join(tmpdir(), 'samskaping-export-'))
const brokenCheckout = mkdtempSync(join(tmpdir(), 'samskaping-export-broken-'))
const outDir = join(checkout, 'exports')
const slidePdf = join(outDir, 'partnerskap-for-inkludering.pdf')
const handoutPdf = join(outDir, 'partnerskap-for-inkludering-utdelingsark.pdf')

// Results as the poll server leaves them after a talk; the export must show them instead of live widgets.
const snapshot: PollSnapshot = {
  forstyrret: {
    total: 4,
    tallies: { ja: 3, delvis: 1, nei: 0 },
    closedAt: '2026-11-20T10:00:00.000Z',
  },
  vane: {
    total: 3,
    tallies: { 'siloer': 2, 'lange møter': 1 },
    closedAt: '2026-11-20T10:05:00.000Z',
  },
  // The idea wall keeps its approved ideas as text → lifts.
  problemet: {
    total: 6,
    tallies: { 'Tjenestene jobber i siloer': 3, 'Ungdommene blir ikke spurt': 5 },
    closedAt: '2026-11-20T10:20:00.000Z',
  },
}

// The poll server keeps every presentation's results; the organizers of the first one export theirs (--session).
const EXPORTED_SESSION = 'Arendalsuka 2026'
const results: SavedResults = {
  sessions: [
    {
      id: 1,
      name: EXPORTED_SESSION,
      startedAt: '2026-11-20T09:00:00.000Z',
      polls: snapshot,
    },
    {
      id: 2,
      name: 'Kommuneseminar i Skien',
      startedAt: '2026-11-27T09:00:00.000Z',
      polls: {
        forstyrret: {
          total: 9,
          tallies: { ja: 0, delvis: 0, nei: 9 },
          closedAt: '2026-11-27T10:00:00.000Z',
        },
      },
    },
  ],
}

/** Copies the tracked and new files; node_modules/ holds links to the installed packages but none of their caches. */
function freshCheckout(dir: string): void {
  const files = execFileSync('git', [
    'ls-files',
    '--cached',
    '--others',
    '--exclude-standard',
    '-z',
  ], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter(file => file && !file.startsWith('node_modules/'))
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true })
    try {
      copyFileSync(join(root, file), join(dir, file))
    }
    catch (error) {
      // Deleted in the working tree but still in the index.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        throw error
    }
  }
  // Vite's and Slidev's caches (.vite, .vite-temp, .slidev) start empty, as after `npm ci`, and are the checkout's own.
  mkdirSync(join(dir, 'node_modules'))
  for (const entry of readdirSync(join(root, 'node_modules')).filter(name => !/^\.(?:vite|vite-temp|vitest-cache|slidev)$/.test(name)))
    symlinkSync(join(root, 'node_modules', entry), join(dir, 'node_modules', entry))
  writeFileSync(join(dir, 'poll-results.json'), JSON.stringify(results))
}

interface ExportRun {
  status: number | null
  output: string
  pdfPages: number
  pdfText: string
  handoutPages: number
  handoutText: string
}

function runExport(dir: string, session = EXPORTED_SESSION): Promise<ExportRun> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, ['scripts/export.ts', '--session', session], {
      cwd: dir,
      env: {
        ...process.env,
        POLL_SNAPSHOT: join(dir, 'poll-results.json'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 300_000,
    })
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => output += chunk)
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => output += chunk)
    child.on('error', reject)
    child.on('close', (status) => {
      const done = status === 0 && dir === checkout
      resolveRun({
        status,
        output,
        pdfPages: done
          ? Number(pdfInfo(slidePdf).Pages)
          : 0,
        pdfText: done
          ? pdfText(slidePdf)
          : '',
        handoutPages: done
          ? Number(pdfInfo(handoutPdf).Pages)
          : 0,
        handoutText: done
          ? pdfText(handoutPdf)
          : '',
      })
    })
  })
}

function pdfText(file: string): string {
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')
}

function pdfInfo(file: string): Record<string, string> {
  const lines = execFileSync('pdfinfo', [file], { encoding: 'utf8' }).split('\n')
  return Object.fromEntries(lines.filter(line => line.includes(':')).map(line => [
    line.slice(0, line.indexOf(':')),
    line.slice(line.indexOf(':') + 1).trim(),
  ]))
}

async function catalogEntry(file: string, key: string): Promise<string> {
  const pdf = await PDFDocument.load(readFileSync(file))
  return String(pdf.catalog.get(PDFName.of(key)))
}

/** Titles of the PDF's top-level outline (bookmarks), read from its catalog. */
async function outlineTitles(file: string): Promise<string[]> {
  const pdf = await PDFDocument.load(readFileSync(file))
  const outlines = pdf.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict)
  const titles: string[] = []
  let item = outlines?.lookupMaybe(PDFName.of('First'), PDFDict)
  while (item) {
    titles.push((item.lookup(PDFName.of('Title')) as PDFString).decodeText())
    item = item.lookupMaybe(PDFName.of('Next'), PDFDict)
  }
  return titles
}

function plain(markdown: string): string {
  return markdown.replace(/<[^>]+>/g, '').replace(/[*_`]/g, '').replace(/\[click(?::\d+)?\]/g, '').replace(/\s+/g, ' ').trim()
}

/** Every element of the tag tree, depth first (the order a screen reader reads), with its ancestors' types. */
async function pdfElements(file: string): Promise<(StructureElement & { path: string[] })[]> {
  const root = readStructure(await PDFDocument.load(readFileSync(file)))
  const flat: (StructureElement & { path: string[] })[] = []
  const visit = (element: StructureElement, path: string[]) => {
    flat.push({ ...element, path })
    element.kids.forEach(kid => visit(kid, [...path, element.type]))
  }
  if (root)
    visit(root, [])
  return flat
}

/**
 * What a screen reader needs from a tagged PDF: Norwegian, every picture with words, and no text hidden behind a
 * picture's words (a PDF reader reads a Figure's alternative text instead of what it holds).
 */
async function expectAccessibleStructure(file: string): Promise<void> {
  // Poppler reads the whole tag tree: every element of a type PDF 1.7 knows, or mapped to one.
  expect(spawnSync('pdfinfo', ['-struct', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stderr).toBe('')
  const elements = await pdfElements(file)
  expect(elements[0]).toMatchObject({ type: 'Document', lang: 'nb' })
  for (const figure of elements.filter(element => element.type === 'Figure'))
    expect(figure.alt?.trim(), `a Figure in ${figure.path.join(' > ')} without alternative text`).toBeTruthy()
  const hidden = elements.filter(element => element.alt && element.kids.some(function holdsText(kid): boolean {
    return !['NonStruct', 'Span'].includes(kid.type) || kid.kids.some(holdsText)
  }))
  expect(hidden.map(element => `${element.type} «${element.alt}»`), 'text read only as alternative text').toEqual([])
}

let cold: ExportRun
let warm: ExportRun
let broken: Promise<ExportRun>

beforeAll(async () => {
  freshCheckout(checkout)
  freshCheckout(brokenCheckout)
  writeFileSync(join(brokenCheckout, 'components/PlantedFailure.vue'), `<script setup lang="ts">
throw new Error('planted failure')
</script>

<template>
  <p>aldri vist</p>
</template>
`)
  appendFileSync(join(brokenCheckout, 'slides.md'), '\n---\n\n# Et lysbilde som feiler\n\n<PlantedFailure />\n\n---\n\n<div />\n')
  broken = runExport(brokenCheckout)
  cold = await runExport(checkout)
  expect(cold.status, cold.output).toBe(0)
  warm = await runExport(checkout)
  expect(warm.status, warm.output).toBe(0)
}, 600_000)

afterAll(async () => {
  await broken
  execFileSync('rm', ['-rf', checkout, brokenCheckout])
})

describe('export from a fresh checkout', () => {
  it('builds the deck first, then reuses the build', () => {
    expect(cold.output).toContain('Bygger presentasjonen først')
    expect(warm.output).not.toContain('Bygger presentasjonen')
  })

  it('gives the same pages and text with a cold cache and a warm one', () => {
    expect(warm.pdfPages).toBe(cold.pdfPages)
    expect(warm.handoutPages).toBe(cold.handoutPages)
    expect(warm.pdfText).toBe(cold.pdfText)
    expect(warm.handoutText).toBe(cold.handoutText)
  })
})

describe('the slide PDF', () => {
  it('has a page for every slide and each click step, and no blank page', () => {
    const pages = Number(pdfInfo(slidePdf).Pages)
    expect(pages).toBeGreaterThanOrEqual(slides.length)
    expect(pages).toBeLessThanOrEqual(slides.length + slides.reduce((sum, slide) => sum + slide.clicks, 0) + 10)
    const steps = allElements(readTagTree(slidePdf)).find(element => element.kids.length === pages)?.kids
    expect(steps, 'one element of the tag tree per page').toHaveLength(pages)
    for (let page = 1; page <= pages; page++) {
      expect(execFileSync('pdftotext', [
        '-f',
        String(page),
        '-l',
        String(page),
        slidePdf,
        '-',
      ], { encoding: 'utf8' }).trim(), `page ${page}`).not.toBe('')
    }
  })

  it('carries title, author and subject', () => {
    const info = pdfInfo(slidePdf)
    expect(info.Title).toBe('Partnerskap for inkludering og ung deltakelse')
    expect(info.Author).toBe('Stig Wigestrand og Lars U. Kobro')
    expect(info.Subject).toContain('SESAM')
  })

  it('is tagged for screen readers, in Norwegian, with its title in the window', async () => {
    expect(pdfInfo(slidePdf).Tagged).toBe('yes')
    const types = (await pdfElements(slidePdf)).map(element => element.type)
    expect(types.filter(type => type === 'H1').length).toBeGreaterThanOrEqual(slides.length / 2)
    expect(types).toContain('P')
    expect(types).toContain('L')
    expect(types).toContain('Table')
    expect(await catalogEntry(slidePdf, 'Lang')).toBe('(nb)')
    expect(await catalogEntry(slidePdf, 'ViewerPreferences')).toContain('/DisplayDocTitle true')
  })

  it('reads each page heading first and the slide number last; pictures have words, and words are never hidden behind them', async () => {
    await expectAccessibleStructure(slidePdf)
    const pages = Number(pdfInfo(slidePdf).Pages)
    // The print view's one element per page (click step).
    const steps = allElements(readTagTree(slidePdf)).find(element => element.kids.length === pages)!.kids
    const numbers = steps.map(step => Number(textsOf(step).at(-1)?.match(/^(\d+) \/ \d+$/)?.[1] ?? 1))
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b))
    expect(new Set(numbers).size).toBe(slides.length)
    expect(steps.flatMap((step, index) => readingOrderProblems(step, numbers[index]!, slides.length))).toEqual([])
  })

  it('has an outline with every slide\'s title', async () => {
    const titles = await outlineTitles(slidePdf)
    expect(titles).toHaveLength(slides.length)
    expect(titles).toContain('Tre paradigmer (logikker) for inkludering og ung deltakelse')
  })

  it('embeds its fonts and keeps every slide\'s key text selectable', () => {
    const fonts = execFileSync('pdffonts', [slidePdf], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean)
    expect(fonts.some(line => line.includes('SourceSans3'))).toBe(true)
    for (const line of fonts)
      expect(line.split(/\s+/).at(-5), line).toBe('yes')
    const text = pdfText(slidePdf)
    for (const slide of slides) {
      const expected = keyText(slide)
      if (expected)
        expect(text, `slide ${slide.number}`).toContain(expected)
    }
  })

  it('shows the final poll results, and «Ingen stemmer ennå» where there are none', () => {
    const text = pdfText(slidePdf)
    expect(text).toContain('4 stemmer')
    expect(text).toContain('siloer')
    expect(text).toContain('lange møter')
    expect(text).toContain('Ingen stemmer ennå')
    expect(text).toContain('Endelig resultat · 2 idéer fra 6 personer')
    expect(text).not.toMatch(/Skann|Stem på/)
  })
})

describe('the handout of one session', () => {
  it('names the session asked for on its first page and shows that session\'s numbers', () => {
    expect(cold.handoutText.slice(0, 600)).toContain(`Resultater fra ${EXPORTED_SESSION}, 20. november 2026`)
    expect(cold.handoutText).not.toContain('Kommuneseminar')
    expect(cold.handoutText).toContain('Endelig resultat · 4 stemmer')
  })

  it('stops before building when the session is not in the results, naming the ones that are', async () => {
    const run = await runExport(checkout, 'Oslo 2028')
    expect(run.status).not.toBe(0)
    expect(run.output).toContain('POLL_SESSION «Oslo 2028» finnes ikke')
    expect(run.output).toContain(`1 «${EXPORTED_SESSION}», 2 «Kommuneseminar i Skien»`)
    expect(run.output).not.toContain('Bygger')
  })
})

describe('the handout', () => {
  it('is A4 portrait with the talk\'s metadata', () => {
    const info = pdfInfo(handoutPdf)
    expect(info['Page size']).toContain('(A4)')
    expect(info.Title).toBe('Partnerskap for inkludering og ung deltakelse – utdelingsark')
    expect(Number(info.Pages)).toBeGreaterThanOrEqual(slides.length / 3)
  })

  it('is tagged, in Norwegian, with its title in the window: each slide\'s notes under a heading, in reading order', async () => {
    expect(pdfInfo(handoutPdf).Tagged).toBe('yes')
    const elements = await pdfElements(handoutPdf)
    const noteHeadings = elements.filter(element => element.type === 'H2')
    expect(noteHeadings).toHaveLength(slides.length)
    // Each slide with its notes is one article: the slide, then the heading and the notes.
    expect(noteHeadings.every(heading => heading.path.includes('Art'))).toBe(true)
    expect(await catalogEntry(handoutPdf, 'Lang')).toBe('(nb)')
    expect(await catalogEntry(handoutPdf, 'ViewerPreferences')).toContain('/DisplayDocTitle true')
    const text = pdfText(handoutPdf)
    const headings = slides.map(slide => text.indexOf(`${slide.number}/${slides.length} ·`))
    expect(headings.every(at => at >= 0)).toBe(true)
    expect(headings).toEqual([...headings].sort((a, b) => a - b))
  })

  it('reads each slide heading first, its number last, then its notes; pictures have words, none hide text', async () => {
    await expectAccessibleStructure(handoutPdf)
    const articles = allElements(readTagTree(handoutPdf)).filter(element => element.type === 'Art')
    expect(articles).toHaveLength(slides.length)
    articles.forEach((article, index) => {
      const notes = article.kids.findIndex(kid => allElements(kid).some(element => element.type === 'H2'))
      expect(notes, `the notes of slide ${index + 1} after the slide`).toBeGreaterThan(0)
      expect(textsOf(article.kids[notes]!)[0]).toMatch(new RegExp(`^${index + 1}/${slides.length} · `))
      expect(readingOrderProblems({
        type: 'slide',
        text: [],
        kids: article.kids.slice(0, notes),
      }, index + 1, slides.length)).toEqual([])
    })
  })

  it('holds every slide\'s key text and every speaker note', () => {
    const text = pdfText(handoutPdf)
    for (const slide of slides) {
      const expected = keyText(slide)
      if (expected)
        expect(text, `slide ${slide.number}`).toContain(expected)
      for (const sentence of plain(slide.note).split(/(?<=[.!?])\s+/))
        expect(text, `note of slide ${slide.number}`).toContain(sentence)
    }
  })

  it('lists the session\'s top ideas from the idea wall, most lifted first', () => {
    const text = pdfText(handoutPdf)
    const top = text.indexOf('5 Ungdommene blir ikke spurt')
    expect(top).toBeGreaterThan(0)
    expect(text.indexOf('3 Tjenestene jobber i siloer')).toBeGreaterThan(top)
  })

  it('numbers its pages under the talk\'s title', () => {
    const text = pdfText(handoutPdf)
    const pages = Number(pdfInfo(handoutPdf).Pages)
    expect(text).toContain(`Side 1 av ${pages}`)
    expect(text).toContain(`Side ${pages} av ${pages}`)
  })
})

describe('pNG images and PPTX', () => {
  const browserReady = launchBrowser()
  afterAll(async () => (await browserReady).close())

  it('has one 16:9 PNG per slide, none of them blank', async () => {
    const files = readdirSync(join(outDir, 'png')).filter(file => file.endsWith('.png'))
    expect(files).toHaveLength(slides.length)
    const page = await (await browserReady).newPage()
    for (const file of files) {
      const png = readFileSync(join(outDir, 'png', file))
      const [width, height] = [
        png.readUInt32BE(16),
        png.readUInt32BE(20),
      ]
      expect(width / height, file).toBeCloseTo(16 / 9, 1)
      expect(width, file).toBeGreaterThanOrEqual(1280)
      const colours = await page.evaluate(async (src) => {
        const image = new Image()
        image.src = src
        await image.decode()
        const canvas = new OffscreenCanvas(image.width, image.height)
        const context = canvas.getContext('2d')!
        context.drawImage(image, 0, 0)
        const data = context.getImageData(0, 0, image.width, image.height).data
        const seen = new Set<number>()
        for (let i = 0; i < data.length; i += 4 * 97)
          seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!)
        return seen.size
      }, `data:image/png;base64,${png.toString('base64')}`)
      expect(colours, `${file} looks blank`).toBeGreaterThan(8)
    }
  })

  it('has a PPTX that opens as a zip with one slide part per slide', async () => {
    const zip = await JSZip.loadAsync(readFileSync(join(outDir, 'partnerskap-for-inkludering.pptx')))
    const slideParts = Object.keys(zip.files).filter(name => /^ppt\/slides\/slide\d+\.xml$/.test(name))
    expect(slideParts).toHaveLength(slides.length)
    expect(zip.file('[Content_Types].xml')).not.toBeNull()
  })
})

describe('a broken slide', () => {
  it('stops the export, naming the slide that throws and the slide that renders nothing', async () => {
    const { status, output } = await broken
    expect(status).not.toBe(0)
    expect(output).toContain('Eksporten stoppet')
    expect(output).toContain(`Lysbilde ${slides.length + 1}: planted failure`)
    expect(output).toContain(`lysbilde ${slides.length + 2} («uten tittel») viser ingenting`)
  })
})
