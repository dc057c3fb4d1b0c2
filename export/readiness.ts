/**
 * When a printed page is ready, and what stops the export: every page is printed after explicit signals (fonts,
 * images, Mermaid diagrams, every slide rendered), never after a fixed sleep, and a slide that throws or renders
 * nothing stops the export by name instead of leaving a blank page in a handout.
 */
import type { Page } from 'playwright-chromium'

/** Collects what the page reports as broken while it renders. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', error => errors.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error')
      errors.push(message.text())
  })
  page.on('requestfailed', request => errors.push(`${request.url()} lastet ikke: ${request.failure()?.errorText}`))
  return errors
}

export interface RenderedSlides {
  /** CSS selector of one rendered slide (a print container, a handout page). */
  slideSelector: string
  /** The attribute whose value starts with the slide's number (1-based). */
  numberAttribute: string
  /** Titles of the deck's slides, for naming a broken one; the page must show each of them. */
  titles: string[]
}

/**
 * Waits until the page shows every slide completely, then checks it: the right number of slides, none empty, no
 * browser error. Throws naming every problem.
 */
export async function waitUntilPrintable(page: Page, errors: string[], slides: RenderedSlides): Promise<void> {
  const timeout = 60_000
  // A slide is drawn once its layout is in the page. Slidev loads each slide as a lazy chunk and shows nothing at all
  // (not even its loading placeholder) for the first 300 ms, so «no placeholder» alone is not a signal.
  await page.waitForFunction(({ selector, attribute, count }) => {
    const containers = [
      ...document.querySelectorAll(selector),
    ]
    const numbers = new Set(containers.map(el => Number.parseInt(el.getAttribute(attribute) ?? '', 10)))
    return numbers.size >= count
      && containers.every(container => container.querySelector('.slidev-layout'))
      && !document.querySelector('.slidev-slide-loading')
  }, { selector: slides.slideSelector, attribute: slides.numberAttribute, count: slides.titles.length }, { timeout })
    .catch(() => {}) // the checks below name what is missing
  await page.evaluate(() => document.fonts.ready)
  await page.waitForFunction(() => [...document.images].every(image => image.complete), undefined, { timeout })
  // Mermaid draws asynchronously into a shadow root; an error leaves it without an SVG and is named below.
  await page.waitForFunction(() => [
    ...document.querySelectorAll('.mermaid'),
  ]
    .every(diagram => diagram.shadowRoot?.querySelector('svg')), undefined, { timeout: 30_000 })
    .catch(() => errors.push('et Mermaid-diagram ble ikke tegnet'))

  const rendered = await page.$$eval(slides.slideSelector, (elements, attribute) => elements.map(element => ({
    no: Number.parseInt(element.getAttribute(attribute) ?? '', 10),
    empty: !(element.querySelector<HTMLElement>('.slidev-layout')?.innerText.trim()),
  })), slides.numberAttribute)
  // A screen reader reads the tagged PDF: every picture needs words, or must be marked as decoration.
  const unlabelled = await page.$$eval('img, svg, [role="img"]', elements => elements
    .filter(element => !element.closest('[aria-hidden="true"]') && !element.parentElement?.closest('svg'))
    .filter(element => element.tagName === 'IMG'
      ? !element.hasAttribute('alt')
      : !(element.getAttribute('aria-label') || element.getAttribute('aria-labelledby') || element.querySelector(':scope > title')?.textContent))
    .map(element => element.outerHTML.slice(0, 80)))
  errors.push(...unlabelled.map(html => `bilde uten tekstalternativ: ${html}`))
  const empty = [
    ...new Set(rendered.filter(slide => slide.empty).map(slide => slide.no)),
  ]
  const shown = new Set(rendered.map(slide => slide.no))
  const missing = slides.titles.map((_, index) => index + 1).filter(no => !shown.has(no))
  const problems = [
    ...missing.map(no => `lysbilde ${no} («${slides.titles[no - 1] || 'uten tittel'}») mangler`),
    ...empty.map(no => `lysbilde ${no} («${slides.titles[no - 1] || 'uten tittel'}») viser ingenting`),
    ...errors.map(error => `feil i nettleseren: ${error}`),
  ]
  if (problems.length)
    throw new Error(`Eksporten stoppet, presentasjonen blir ikke riktig:\n- ${problems.join('\n- ')}`)
}
