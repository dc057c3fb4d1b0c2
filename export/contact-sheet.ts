/**
 * The contact sheet: every slide of the built deck with everything revealed, in light and in dark, on one image, for
 * reviewing the design at a glance. The slides are Slidev's print view (as the export prints them); the sheet is an
 * HTML page of their pictures that Chromium photographs.
 */
import type { Buffer } from 'node:buffer'
import type { Browser } from 'playwright-chromium'
import type { Talk } from './talk.ts'
import { waitUntilPrintable, watchErrors } from './readiness.ts'

export type ColorScheme = 'light' | 'dark'

const SCHEMES: Record<ColorScheme, string> = { light: 'Lys', dark: 'Mørk' }
/** Thumbnails per row, and their width in CSS px (a slide is 980 × 552 on its canvas). */
const COLUMNS = 6
const THUMB_WIDTH = 320

/** One picture per slide, in `scheme`, at the slide's own size. */
async function slidePictures(browser: Browser, deckUrl: string, talk: Talk, scheme: ColorScheme): Promise<Buffer[]> {
  const context = await browser.newContext({
    viewport: { width: 980, height: 552 },
    colorScheme: scheme,
    serviceWorkers: 'block',
  })
  try {
    const page = await context.newPage()
    const errors = watchErrors(page)
    await page.goto(`${deckUrl}/print?print`, { waitUntil: 'load' })
    await waitUntilPrintable(page, errors, {
      slideSelector: '.print-slide-container',
      numberAttribute: 'id',
      titles: talk.slides.map(slide => slide.title),
    })
    const pictures: Buffer[] = []
    for (const slide of await page.locator('.print-slide-container').all())
      pictures.push(await slide.screenshot())
    return pictures
  }
  finally {
    await context.close()
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, c => `&#${c.charCodeAt(0)};`)
}

/** The sheet as a page: a heading, then a section per colour scheme with every slide, numbered and titled. */
export function contactSheetHtml(talk: Talk, pictures: Record<ColorScheme, Buffer[]>): string {
  const sections = (Object.keys(SCHEMES) as ColorScheme[]).map(scheme => `<section><h2>${SCHEMES[scheme]}</h2><div class="grid">${
    pictures[scheme].map((picture, index) => `<figure><img alt="" src="data:image/png;base64,${picture.toString('base64')}"><figcaption>${
      index + 1} · ${escapeHtml(talk.slides[index]?.title || `Lysbilde ${index + 1}`)}</figcaption></figure>`).join('')
  }</div></section>`).join('')
  return `<!doctype html><html lang="nb"><meta charset="utf-8"><title>Kontaktark</title><style>
body{margin:0;padding:24px;background:#d9dedc;color:#1b2423;font:16px/1.3 system-ui,sans-serif;width:max-content}
h1{margin:0 0 16px;font-size:24px}h2{margin:24px 0 8px;font-size:20px}
.grid{display:grid;grid-template-columns:repeat(${COLUMNS},${THUMB_WIDTH}px);gap:16px}
figure{margin:0}img{display:block;width:100%;box-shadow:0 0 0 1px #8a948f}
figcaption{margin-top:4px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
</style><h1>${escapeHtml(talk.title)} – kontaktark</h1>${sections}</html>`
}

/** Writes the contact sheet of the deck at `deckUrl` to `output` (PNG). */
export async function writeContactSheet(browser: Browser, deckUrl: string, talk: Talk, output: string): Promise<void> {
  const pictures = {
    light: await slidePictures(browser, deckUrl, talk, 'light'),
    dark: await slidePictures(browser, deckUrl, talk, 'dark'),
  }
  const context = await browser.newContext({
    viewport: { width: 800, height: 600 },
  })
  try {
    const page = await context.newPage()
    await page.setContent(contactSheetHtml(talk, pictures), { waitUntil: 'load' })
    await page.screenshot({ path: output, fullPage: true })
  }
  finally {
    await context.close()
  }
}
