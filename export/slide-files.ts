/**
 * The slides as files, from one page of the built deck: Slidev's print view with every click step as its own
 * slide gives the slide PDF, and the last step of each slide (everything revealed) gives its PNG and PPTX slide.
 */
import type { Buffer } from 'node:buffer'
import type { Browser } from 'playwright-chromium'
import type { Talk } from './talk.ts'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import PptxGenJS from 'pptxgenjs'
import { finishPdf } from './finish-pdf.ts'
import { waitUntilPrintable, watchErrors } from './readiness.ts'

/** Slidev's canvas (980 px wide, 16:9); PNGs are taken at twice that for projectors and documents. */
const PNG_SCALE = 2

export interface SlideFiles {
  pdf?: string
  pngDir?: string
  pptx?: string
}

export async function exportSlides(browser: Browser, deckUrl: string, talk: Talk, out: SlideFiles): Promise<void> {
  const context = await browser.newContext({
    viewport: { width: 980, height: 552 },
    deviceScaleFactor: PNG_SCALE,
    colorScheme: 'light',
    serviceWorkers: 'block',
  })
  try {
    const page = await context.newPage()
    const errors = watchErrors(page)
    await page.goto(`${deckUrl}/print?print=clicks`, { waitUntil: 'load' })
    await waitUntilPrintable(page, errors, {
      slideSelector: '.print-slide-container',
      numberAttribute: 'id',
      titles: talk.slides.map(slide => slide.title),
    })
    const containers = page.locator('.print-slide-container')
    const size = await containers.first().evaluate((el: HTMLElement) => ({ width: el.offsetWidth, height: el.offsetHeight }))

    if (out.pdf) {
      await page.pdf({
        path: out.pdf,
        width: `${size.width}px`,
        height: `${size.height}px`,
        margin: {
          top: '0',
          right: '0',
          bottom: '0',
          left: '0',
        },
        printBackground: true,
        tagged: true,
        // A page per click step, and no blank page after the last: every step breaks the page after it.
        pageRanges: `1-${await containers.count()}`,
      })
      // Each click step is a page; a slide's bookmark points at its first step.
      const firstPages = await page.$$eval('.print-slide-container', containers => containers
        .map((container, page) => ({
          no: Number.parseInt(container.id, 10),
          page,
        }))
        .filter((step, index, steps) => index === 0 || steps[index - 1]!.no !== step.no))
      await finishPdf(out.pdf, talk, firstPages.map(({ no, page }) => ({
        title: talk.slides[no - 1]?.title || `Lysbilde ${no}`,
        page,
      })))
    }

    if (out.pngDir || out.pptx) {
      // The last click step of each slide shows all of it.
      const lastSteps = await page.$$eval('.print-slide-container', containers => Object.values(
        Object.fromEntries(containers.map(container => [
          Number.parseInt(container.id, 10),
          container.id,
        ])),
      ))
      const images: Buffer[] = []
      for (const id of lastSteps)
        images.push(await page.locator(`[id="${id}"]`).screenshot())
      if (out.pngDir)
        await writePngs(out.pngDir, images)
      if (out.pptx)
        await writePptx(out.pptx, talk, images, size)
    }
  }
  finally {
    await context.close()
  }
}

async function writePngs(dir: string, images: Buffer[]): Promise<void> {
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true })
  await Promise.all(images.map((image, index) => writeFile(join(dir, `${String(index + 1).padStart(2, '0')}.png`), image)))
}

/** One PowerPoint slide per slide: its picture (with the slide's title as alternative text) and its speaker notes. */
async function writePptx(file: string, talk: Talk, images: Buffer[], size: { width: number, height: number }): Promise<void> {
  const pptx = new PptxGenJS()
  const inches = { w: size.width / 96, h: size.height / 96 }
  pptx.defineLayout({ name: 'slidev', width: inches.w, height: inches.h })
  pptx.layout = 'slidev'
  pptx.title = talk.title
  pptx.author = talk.author
  pptx.subject = talk.subject
  images.forEach((image, index) => {
    const slide = pptx.addSlide()
    const text = talk.slides[index]
    slide.addImage({
      data: `data:image/png;base64,${image.toString('base64')}`,
      x: 0,
      y: 0,
      ...inches,
      altText: text?.title || talk.title,
    })
    if (text?.note)
      slide.addNotes(text.note)
  })
  await writeFile(file, await pptx.write({ outputType: 'nodebuffer' }) as Buffer)
}
