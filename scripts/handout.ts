/**
 * The A4 handout: Slidev has a notes-only export but nothing that puts each slide beside what the speaker says,
 * so we print our own /handout route (handout/HandoutPage.vue) from a Slidev server with Chromium.
 */
import type { Page } from 'playwright-chromium'
import { readFile, writeFile } from 'node:fs/promises'
import { createServer, resolveOptions } from '@slidev/cli'
import { PDFDocument } from 'pdf-lib'
import { chromium } from 'playwright-chromium'
import { launchOptions } from './browser.ts'
import { freePort } from './free-port.ts'

export async function printHandout(output: string): Promise<void> {
  const options = await resolveOptions({ entry: 'slides.md' }, 'export')
  const server = await createServer(options, {
    server: { host: '127.0.0.1', port: await freePort(), strictPort: true },
    logLevel: 'warn',
  })
  await server.listen()
  const browser = await chromium.launch(launchOptions())
  try {
    const page = await browser.newPage({
      viewport: { width: 1200, height: 900 },
    })
    const errors: string[] = []
    page.on('pageerror', error => errors.push(error.message))
    page.on('console', (message) => {
      if (message.type() === 'error')
        errors.push(message.text())
    })
    const url = server.resolvedUrls!.local[0]!
    await page.goto(new URL('handout?print', url).href, { waitUntil: 'load', timeout: 60_000 })
    const titles = options.data.slides.map(slide => slide.title ?? '')
    // On a cold start Vite reloads the page once it has optimised the dependencies the slides use: start over then.
    for (let attempt = 1; ; attempt++) {
      try {
        await waitUntilRendered(page)
        await assertEverySlideRendered(page, titles, errors)
        break
      }
      catch (error) {
        if (attempt === 3 || !/context was destroyed|navigat/i.test(String(error)))
          throw error
        errors.length = 0
      }
    }

    const config = options.data.config
    await page.pdf({
      path: output,
      format: 'A4',
      printBackground: true,
      margin: {
        top: '1.5cm',
        bottom: '2cm',
        left: '1.5cm',
        right: '1.5cm',
      },
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: `<div style="font: 9px sans-serif; color: #444; width: 100%; margin: 0 1.5cm; display: flex; justify-content: space-between">
        <span>${escapeHtml(config.title)}</span><span>Side <span class="pageNumber"></span> av <span class="totalPages"></span></span></div>`,
    })
    await setMetadata(output, {
      title: `${config.title} – utdelingsark`,
      author: String(options.data.headmatter.author ?? ''),
      subject: String(config.info || '').trim(),
    })
  }
  finally {
    await browser.close()
    await server.close()
  }
}

/** Fonts loaded and every Mermaid diagram drawn (they render asynchronously into a shadow root). */
async function waitUntilRendered(page: Page) {
  // Vite may reload the page once while it optimises dependencies on a cold start, so wait for content, not events.
  await page.locator('.handout-page').first().waitFor({ timeout: 90_000 })
  await page.evaluate(() => document.fonts.ready)
  await page.waitForFunction(() => [...document.images].every(img => img.complete))
  await page.waitForFunction(() => [
    ...document.querySelectorAll('.mermaid'),
  ].every(el => el.shadowRoot?.querySelector('svg')), undefined, { timeout: 30_000 })
}

async function assertEverySlideRendered(page: Page, titles: string[], errors: string[]) {
  const emptySlides = () => page.$$eval('.handout-page', pages => pages
    .filter(el => !el.querySelector<HTMLElement>('.slidev-layout')?.innerText.trim())
    .map(el => Number((el as HTMLElement).dataset.slide)))
  // Slides load as separate chunks: give them time to arrive, then name the ones that never rendered.
  const deadline = Date.now() + 30_000
  let empty = await emptySlides()
  while (empty.length && Date.now() < deadline) {
    await page.waitForTimeout(250)
    empty = await emptySlides()
  }
  const count = await page.locator('.handout-page').count()
  const problems = [
    ...(count !== titles.length
      ? [`the handout has ${count} slides, the deck ${titles.length}`]
      : []),
    ...empty.map(no => `slide ${no} («${titles[no - 1] || 'uten tittel'}») rendered nothing`),
    ...errors.map(error => `browser error: ${error}`),
  ]
  if (problems.length)
    throw new Error(`Export stopped, the deck does not render cleanly:\n- ${problems.join('\n- ')}`)
}

async function setMetadata(file: string, meta: { title: string, author: string, subject: string }) {
  const pdf = await PDFDocument.load(await readFile(file))
  pdf.setTitle(meta.title)
  pdf.setAuthor(meta.author)
  pdf.setSubject(meta.subject)
  pdf.setLanguage('nb')
  await writeFile(file, await pdf.save())
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, c => `&#${c.charCodeAt(0)};`)
}
