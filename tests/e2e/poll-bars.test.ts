import { describe, expect, it } from 'vitest'
import { findPoll } from '../../polls/catalog.ts'
import { polls } from '../../snippets/polls.ts'
import { readSlides } from '../slides-source.ts'
import { isolatedContext } from './browser.ts'
import { useBuiltDeck } from './built-deck.ts'

// Equal votes must draw equal bars, whatever the labels say and however wide the window is (the scale's last
// column used to take the width its long end label asked for).
const deck = useBuiltDeck()
const slides = readSlides()
const barPolls = [
  'dristig',
  'paradigme',
  'rundt-bordet',
  'dugnad-eller-samskaping',
]
const windows = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
  { width: 800, height: 600 },
  { width: 390, height: 844 },
]

async function presenter(id: string, body: object) {
  const response = await fetch(`${deck.server.url}/api/polls/${id}/state`, {
    method: 'POST',
    headers: { 'authorization': `Bearer ${deck.server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  expect(response.ok).toBe(true)
}

/** One answer per option (per value of a scale). */
function answersOf(id: string): unknown[] {
  const poll = findPoll(polls, id)!
  return poll.kind === 'scale'
    ? Array.from({ length: poll.max - poll.min + 1 }, (_, index) => poll.min + index)
    : 'options' in poll
      ? poll.options.map(option => poll.kind === 'multi'
          ? [option.id]
          : option.id)
      : []
}

/** One vote for each answer, so every bar stands for the same count. */
async function voteEvenly(id: string) {
  await presenter(id, { state: 'open' })
  for (const [index, choice] of answersOf(id).entries()) {
    const response = await fetch(`${deck.server.url}/api/polls/${id}/votes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ voter: `bars-${id}-${index}-voter`, choice }),
    })
    expect(response.status).toBe(201)
  }
}

describe('poll bars', () => {
  it.each(['open', 'closed'] as const)('are equal for equal votes in every window size (poll %s)', async (state) => {
    for (const id of barPolls) {
      if (state === 'open')
        await voteEvenly(id)
      else
        await presenter(id, { state: 'closed' })
    }
    for (const viewport of windows) {
      // Without motion the bars stand in place at once: their size is what is measured, not their growth.
      const { context } = await isolatedContext(deck.browser, deck.server.url, { viewport, reducedMotion: 'reduce' })
      const page = await context.newPage()
      for (const id of barPolls) {
        const number = slides.find(slide => slide.pollId === id)!.number
        await page.goto(`${deck.server.url}/${number}`, { waitUntil: 'load' })
        const slide = page.locator(`.slidev-page-${number}`)
        await slide.getByText(`${state === 'open'
          ? 'Åpen for stemmer'
          : 'Stengt'} · ${answersOf(id).length} stemmer`).waitFor()
        // The bars grow into place (700 ms); measure once they have stopped.
        await expect.poll(() => slide.locator('.poll-bar, .scale-bar').evaluateAll(bars => bars.every(bar => bar.getAnimations().length === 0))).toBe(true)
        const boxes = await slide.locator('.poll-bar, .scale-bar').evaluateAll(bars => bars.map((bar) => {
          const { width, height } = bar.getBoundingClientRect()
          return { width: Math.round(width * 10) / 10, height: Math.round(height * 10) / 10 }
        }))
        const where = `${id} at ${viewport.width}×${viewport.height}`
        expect(boxes.length, where).toBeGreaterThan(1)
        expect(boxes[0]!.width * boxes[0]!.height, where).toBeGreaterThan(0)
        for (const box of boxes)
          expect(box, where).toEqual(boxes[0])
      }
      await context.close()
    }
  })
})
