import type { Page } from 'playwright-chromium'
import { describe, expect, it } from 'vitest'
import { readSlides } from '../slides-source.ts'
import { axeViolations } from './axe.ts'
import { isolatedContext } from './browser.ts'
import { useBuiltDeck } from './built-deck.ts'

// The reading view (/les) is the deck's conforming alternative for WCAG 1.4.10 (Reflow): it must say everything the
// slides and notes say, in order, and work on a 320-px phone and at 200 % text size.
const deck = useBuiltDeck()
const slides = readSlides()

async function openReadingView(page: Page) {
  await page.goto(`${deck.server.url}/les`, { waitUntil: 'networkidle' })
  await page.locator(`#lysbilde-${slides.length} .slidev-layout`).waitFor()
  await page.evaluate(() => document.fonts.ready)
}

/** Words as a reader meets them: no soft hyphens, case as written (the deck sets some in capitals by CSS). */
function words(text: string): string[] {
  return text.replace(/\u00AD/g, '').toLocaleLowerCase('nb').split(/\s+/).filter(Boolean)
}

/** The words of `expected` that `text` does not have as often. */
function missingWords(expected: string, text: string): string[] {
  const available = new Map<string, number>()
  for (const word of words(text))
    available.set(word, (available.get(word) ?? 0) + 1)
  return words(expected).filter((word) => {
    const left = available.get(word) ?? 0
    available.set(word, left - 1)
    return left <= 0
  })
}

/** Speaker notes as written in slides.md, without click markers and Markdown emphasis. */
function noteText(note: string): string {
  return note.replace(/\[click(?::\d+)?\]/g, ' ').replace(/[*_]/g, '').replace(/\s+/g, ' ').trim()
}

/** Visible text that sticks out of the window sideways: what a reader would have to scroll to. */
function textOutsideWindow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const outside: string[] = []
    for (const element of document.querySelectorAll('#les *')) {
      const hasText = [...element.childNodes].some(node => node.nodeType === Node.TEXT_NODE && node.textContent!.trim())
      if (!hasText || element.closest('.sr-only'))
        continue
      const range = document.createRange()
      range.selectNodeContents(element)
      const rect = range.getBoundingClientRect()
      if (rect.width > 0 && (rect.left < -1 || rect.right > window.innerWidth + 1))
        outside.push(`${element.textContent!.trim().slice(0, 40)} (${Math.round(rect.left)}–${Math.round(rect.right)})`)
    }
    return outside
  })
}

describe('the reading view', () => {
  it('has the text of every slide, every click revealed, and every speaker note, slide by slide in order', async () => {
    const { context, foreignRequests } = await isolatedContext(deck.browser, deck.server.url, {
      viewport: { width: 1280, height: 900 },
    })
    const page = await context.newPage()
    // What the slides say: Slidev's print view, every click revealed and the saved poll results, as the reading view has.
    await page.goto(`${deck.server.url}/print?print`, { waitUntil: 'networkidle' })
    await page.locator(`.print-slide-container[id^="${String(slides.length).padStart(3, '0')}-"] .slidev-layout`).waitFor()
    const slideTexts = await page.$$eval('.print-slide-container', containers => containers.map((container) => {
      const copy = container.cloneNode(true) as HTMLElement
      copy.querySelectorAll('.slide-number').forEach(number => number.remove())
      document.body.append(copy)
      const text = copy.innerText
      copy.remove()
      return text
    }))
    expect(slideTexts).toHaveLength(slides.length)
    for (const [index, text] of slideTexts.entries())
      expect(words(text).length, `slide ${index + 1} in the print view`).toBeGreaterThan(2)

    await openReadingView(page)
    expect(await page.$$eval('#les main > article', articles => articles.map(article => article.id)))
      .toEqual(slides.map(slide => `lysbilde-${slide.number}`))
    for (const slide of slides) {
      const article = page.locator(`#lysbilde-${slide.number}`)
      const where = `slide ${slide.number} («${slide.title}»)`
      // A slide heading that only repeats the title is shown once, as the article's heading.
      const shown = `${await article.locator('h2').innerText()}\n${await article.locator('.reading-slide').innerText()}`
      expect(missingWords(slideTexts[slide.number - 1]!, shown), where).toEqual([])
      if (slide.title)
        expect(await article.locator('h2').innerText(), where).toContain(slide.title)
      const notes = (await article.locator('.reading-notes').innerText()).replace(/\s+/g, ' ')
      expect(notes, where).toContain(noteText(slide.note))
    }
    expect(foreignRequests).toEqual([])
    await context.close()
  })

  it('is Norwegian and has a table of contents that leads to every slide', async () => {
    const { context } = await isolatedContext(deck.browser, deck.server.url)
    const page = await context.newPage()
    await openReadingView(page)
    expect(await page.getAttribute('html', 'lang')).toBe('nb')
    expect(await page.getAttribute('#les', 'lang')).toBe('nb')
    const contents = page.getByRole('navigation', { name: 'Innhold' })
    const links = await contents.getByRole('link').evaluateAll(anchors => anchors.map(anchor => ({
      href: anchor.getAttribute('href'),
      text: anchor.textContent!.trim(),
    })))
    expect(links.map(link => link.href)).toEqual(slides.map(slide => `#lysbilde-${slide.number}`))
    for (const [index, slide] of slides.entries()) {
      if (slide.title)
        expect(links[index]!.text).toBe(slide.title)
    }
    const middle = slides[Math.floor(slides.length / 2)]!
    await contents.getByRole('link', { name: middle.title, exact: true }).click()
    await expect.poll(() => page.evaluate(() => location.hash)).toBe(`#lysbilde-${middle.number}`)
    await expect.poll(() => page.locator(`#lysbilde-${middle.number} h2`).evaluate(heading => Math.round(heading.getBoundingClientRect().top))).toBeLessThan(100)
    await context.close()
  })

  it.each([
    {
      name: 'on a 320-px phone',
      viewport: { width: 320, height: 640 },
      textSize: '100%',
    },
    {
      name: 'at 200 % text size',
      viewport: { width: 1280, height: 800 },
      textSize: '200%',
    },
    {
      name: 'at 200 % text size in a 640-px window',
      viewport: { width: 640, height: 800 },
      textSize: '200%',
    },
  ])('reflows without horizontal scrolling $name', async ({ viewport, textSize }) => {
    const { context } = await isolatedContext(deck.browser, deck.server.url, { viewport })
    const page = await context.newPage()
    await openReadingView(page)
    // The reader's text size: every size on the page is in rem, so this is what the browser's setting does.
    await page.addStyleTag({ content: `html { font-size: ${textSize} !important }` })
    await page.evaluate(() => new Promise(requestAnimationFrame))
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width)
    expect(await textOutsideWindow(page)).toEqual([])
    await context.close()
  })

  it.each(['light', 'dark'] as const)('meets WCAG 2.1 AA in %s mode', async (colorScheme) => {
    const { context } = await isolatedContext(deck.browser, deck.server.url, {
      viewport: { width: 390, height: 844 },
      colorScheme,
    })
    const page = await context.newPage()
    await openReadingView(page)
    expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(colorScheme === 'dark')
    expect(await axeViolations(page, `reading view (${colorScheme})`)).toEqual([])
    await context.close()
  })
})

describe('the deck\'s way to the reading view', () => {
  it('is a visible «Les som tekst» link on every slide, and a lazy chunk slide 1 does not load', async () => {
    const { context } = await isolatedContext(deck.browser, deck.server.url, {
      viewport: { width: 1280, height: 720 },
    })
    const page = await context.newPage()
    const requested: string[] = []
    page.on('request', request => requested.push(new URL(request.url()).pathname))
    await page.goto(`${deck.server.url}/1`, { waitUntil: 'networkidle' })
    const link = page.locator('.slidev-page-1').getByRole('link', { name: 'Les som tekst' })
    await link.waitFor()
    expect(await link.evaluate(anchor => Number.parseFloat(getComputedStyle(anchor).fontSize))).toBeGreaterThanOrEqual(18)
    expect(requested.filter(path => /ReadingPage/.test(path))).toEqual([])
    await link.click()
    await page.waitForURL(/\/les$/)
    await page.getByRole('heading', { level: 1, name: 'Partnerskap for inkludering og ung deltakelse' }).waitFor()
    expect(requested.some(path => /ReadingPage/.test(path))).toBe(true)
    await context.close()
  })

  it('is suggested above the slide on a phone held upright, and only there', async () => {
    const { context } = await isolatedContext(deck.browser, deck.server.url, {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    })
    const page = await context.newPage()
    await page.goto(`${deck.server.url}/3`, { waitUntil: 'networkidle' })
    const suggestion = page.locator('.reading-suggestion')
    await suggestion.waitFor()
    const [banner, slide] = await Promise.all([
      suggestion.boundingBox(),
      page.locator('#slide-content').boundingBox(),
    ])
    expect(banner!.y + banner!.height).toBeLessThanOrEqual(slide!.y)
    expect(banner!.height).toBeGreaterThanOrEqual(44)
    expect(await suggestion.innerText()).toContain('Les som tekst')
    await page.setViewportSize({ width: 844, height: 390 })
    await expect.poll(() => suggestion.isVisible()).toBe(false)
    await context.close()
  })
})
