import { describe, expect, it } from 'vitest'
import { readSlides } from '../slides-source.ts'
import { axeViolations, expectNoAxeViolations } from './axe.ts'
import { isolatedContext } from './browser.ts'
import { useBuiltDeck } from './built-deck.ts'

const slides = readSlides()
const deck = useBuiltDeck()

// Slides are checked side by side: most of a check is waiting for the page, which overlaps well. Each slide loads
// once and is checked in light mode, then in dark mode: the deck follows the system's colour scheme as it changes.
describe('every slide in light and dark mode', () => {
  it.concurrent.for(slides.map(slide => [slide.number] as const))('slide %i meets WCAG 2.1 AA', async ([number], { expect }) => {
    const { context } = await isolatedContext(deck.browser, deck.server.url, {
      colorScheme: 'light',
      viewport: { width: 1280, height: 720 },
    })
    const page = await context.newPage()
    await page.goto(`${deck.server.url}/${number}?clicks=99`, { waitUntil: 'networkidle' })
    await page.locator(`.slidev-page-${number}`).waitFor({ state: 'visible' })
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme })
      // The deck switches its own scheme when the system's changes; this fails the test if it never does.
      await page.waitForFunction(dark => document.documentElement.classList.contains('dark') === dark, colorScheme === 'dark')
      // Colours that fade from one scheme to the other are measured once they have arrived.
      await page.evaluate(() => Promise.all(document.getAnimations()
        .filter(animation => animation.effect?.getComputedTiming().endTime !== Infinity)
        .map(animation => animation.finished)))
      expect(await axeViolations(page, `slide ${number} (${colorScheme})`, { include: `.slidev-page-${number}` })).toEqual([])
    }
    await context.close()
  })
})

describe('the presenter view', () => {
  it('meets WCAG 2.1 AA, poll controls included', async () => {
    const { context } = await isolatedContext(deck.browser, deck.server.url, {
      viewport: { width: 1440, height: 900 },
    })
    const page = await context.newPage()
    const pollSlide = slides.find(slide => slide.pollId)!
    await page.goto(`${deck.server.url}/presenter/${pollSlide.number}?token=${deck.server.token}`, { waitUntil: 'networkidle' })
    await page.getByRole('button', { name: /Åpne avstemning/ }).first().waitFor()
    await expectNoAxeViolations(page, 'presenter view')
    await context.close()
  })

  it('opens a poll from the keyboard alone', async () => {
    const { context } = await isolatedContext(deck.browser, deck.server.url, {
      viewport: { width: 1440, height: 900 },
    })
    const page = await context.newPage()
    const pollSlide = slides.find(slide => slide.pollId)!
    await page.goto(`${deck.server.url}/presenter/${pollSlide.number}?token=${deck.server.token}`, { waitUntil: 'networkidle' })
    const open = page.getByRole('button', { name: /Åpne avstemning/ }).first()
    await open.waitFor()
    for (let step = 0; step < 60 && !(await open.evaluate(el => el === document.activeElement)); step++)
      await page.keyboard.press('Tab')
    expect(await open.evaluate(el => el === document.activeElement && getComputedStyle(el).outlineStyle !== 'none')).toBe(true)
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await (await fetch(`${deck.server.url}/api/polls/${pollSlide.pollId}`)).json()).state).toBe('open')
    await context.close()
  })
})
