import type { Page } from 'playwright-chromium'
import { describe, expect, it } from 'vitest'
import { keyText, readSlides } from '../slides-source.ts'
import { isolatedContext } from './browser.ts'
import { useBuiltDeck } from './built-deck.ts'
import { MIN_BODY_PX, MIN_TEXT_PX, slideTextProblems } from './slide-text.ts'

const slides = readSlides()
const deck = useBuiltDeck()

async function openSlide(page: Page, number: number, clicks = 0) {
  await page.goto(`${deck.server.url}/${number}${clicks
    ? `?clicks=${clicks}`
    : ''}`, { waitUntil: 'networkidle' })
  await page.evaluate(() => document.fonts.ready)
  const slide = page.locator(`.slidev-page-${number}`)
  await slide.waitFor({ state: 'visible' })
  return slide
}

describe('the built deck', () => {
  it('has the whole talk', () => {
    expect(slides.length).toBeGreaterThanOrEqual(17)
  })

  // Every click revealed, in both colour schemes: what the back row reads at the end of each slide. Each slide loads
  // once and is measured in light mode, then in dark mode: the deck follows the system's colour scheme as it changes.
  it.concurrent.for(slides.map(slide => [slide.number, slide] as const))(`slide %i shows its key text, all text ≥ ${MIN_TEXT_PX} px and body text ≥ ${MIN_BODY_PX} px on the canvas, nothing outside it, in light and dark`, async ([number, slide], { expect }) => {
    const { context, foreignRequests } = await isolatedContext(deck.browser, deck.server.url, {
      viewport: { width: 1280, height: 720 },
      colorScheme: 'light',
    })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', error => errors.push(error.message))
    const rendered = await openSlide(page, number, 99)
    // A poll slide is measured once its server answered and the join code is in place (the layout it is shown in).
    if (slide.pollId)
      await rendered.locator('section.poll aside').waitFor()
    const text = (await rendered.innerText()).replace(/\s+/g, ' ')
    const expected = keyText(slide)
    if (expected)
      expect(text).toContain(expected)
    else
      expect(text.trim().length).toBeGreaterThan(0)
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme })
      await page.waitForFunction(dark => document.documentElement.classList.contains('dark') === dark, colorScheme === 'dark')
      expect(await slideTextProblems(page, number), colorScheme).toEqual([])
    }
    expect(errors).toEqual([])
    expect(foreignRequests).toEqual([])
    await context.close()
  })

  it('is navigated with the keyboard', async () => {
    const { context } = await isolatedContext(deck.browser, deck.server.url)
    const page = await context.newPage()
    await openSlide(page, 1)
    await page.keyboard.press('ArrowRight')
    await page.waitForURL(/\/2$/)
    await page.keyboard.press('ArrowLeft')
    await page.waitForURL(/\/1$/)
    await context.close()
  })

  it('shows the speaker notes in the presenter view', async () => {
    const { context } = await isolatedContext(deck.browser, deck.server.url)
    const page = await context.newPage()
    await page.goto(`${deck.server.url}/presenter/2`, { waitUntil: 'networkidle' })
    const firstSentence = slides[1]!.note.split(/(?<=[.!?])\s/)[0]!
    await expect.poll(() => page.locator('body').innerText()).toContain(firstSentence.replace(/[*_]/g, ''))
    await context.close()
  })

  it('declares Norwegian and a description for sharing', async () => {
    const { context } = await isolatedContext(deck.browser, deck.server.url)
    const page = await context.newPage()
    await openSlide(page, 1)
    expect(await page.getAttribute('html', 'lang')).toBe('nb')
    expect(await page.title()).toContain('Partnerskap for inkludering og ung deltakelse')
    expect(await page.getAttribute('meta[name="description"]', 'content')).toBeTruthy()
    await context.close()
  })
})

describe('the first paint on a slow phone', () => {
  it('shows the talk\'s title before any script has run, and only the deck once it has', async () => {
    const { context } = await isolatedContext(deck.browser, deck.server.url, { javaScriptEnabled: false })
    const before = await context.newPage()
    await before.goto(`${deck.server.url}/1`)
    await expect.poll(() => before.locator('#first-paint').innerText()).toContain('Partnerskap for inkludering og ung deltakelse')
    await context.close()

    const { context: withScripts } = await isolatedContext(deck.browser, deck.server.url)
    const after = await withScripts.newPage()
    await openSlide(after, 1)
    expect(await after.locator('#first-paint').count()).toBe(0)
    await withScripts.close()
  })

  it('asks for every file slide 1 needs at once, from the page itself', async () => {
    const { context } = await isolatedContext(deck.browser, deck.server.url)
    const page = await context.newPage()
    const requested: string[] = []
    page.on('request', request => requested.push(new URL(request.url()).pathname))
    await openSlide(page, 1)
    const preloaded = await page.$$eval('link[rel="modulepreload"], link[rel="preload"], script[src], link[rel="stylesheet"]', links => links.map(link => new URL((link as HTMLLinkElement).href || (link as HTMLScriptElement).src).pathname))
    const lateScripts = requested.filter(path => /\.(?:js|css|woff2)$/.test(path) && !preloaded.includes(path))
    expect(lateScripts).toEqual([])
    await context.close()
  })
})
