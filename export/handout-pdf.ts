/**
 * The A4 handout: Slidev has a notes-only export but nothing that puts each slide beside what the speaker says, so
 * the built deck has its own /handout route (handout/HandoutPage.vue) that Chromium prints.
 */
import type { Browser } from 'playwright-chromium'
import type { Talk } from './talk.ts'
import { finishPdf } from './finish-pdf.ts'
import { waitUntilPrintable, watchErrors } from './readiness.ts'

export async function exportHandout(browser: Browser, deckUrl: string, talk: Talk, output: string): Promise<void> {
  const context = await browser.newContext({
    viewport: { width: 1200, height: 900 },
    colorScheme: 'light',
    serviceWorkers: 'block',
  })
  try {
    const page = await context.newPage()
    const errors = watchErrors(page)
    await page.goto(`${deckUrl}/handout?print`, { waitUntil: 'load' })
    await waitUntilPrintable(page, errors, {
      slideSelector: '.handout-page',
      numberAttribute: 'data-slide',
      titles: talk.slides.map(slide => slide.title),
    })
    await page.pdf({
      path: output,
      format: 'A4',
      printBackground: true,
      tagged: true,
      outline: true,
      margin: {
        top: '1.5cm',
        bottom: '2cm',
        left: '1.5cm',
        right: '1.5cm',
      },
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: `<div style="font: 9px sans-serif; color: #444; width: 100%; margin: 0 1.5cm; display: flex; justify-content: space-between">
        <span>${escapeHtml(talk.title)}</span><span>Side <span class="pageNumber"></span> av <span class="totalPages"></span></span></div>`,
    })
    await finishPdf(output, { ...talk, title: `${talk.title} – utdelingsark` })
  }
  finally {
    await context.close()
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, c => `&#${c.charCodeAt(0)};`)
}
