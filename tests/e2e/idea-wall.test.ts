import type { Page } from 'playwright-chromium'
import { describe, expect, it } from 'vitest'
import { findPoll } from '../../polls/catalog.ts'
import { polls } from '../../snippets/polls.ts'
import { readSlides } from '../slides-source.ts'
import { axeViolations, expectNoAxeViolations } from './axe.ts'
import { isolatedContext } from './browser.ts'
import { useBuiltDeck } from './built-deck.ts'
import { slideTextProblems } from './slide-text.ts'

// The talk's idea wall in the room: the speaker's presenter view, the projected slide and two phones.
const phone = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
}
const wall = findPoll(polls, 'problemet')!
const wallSlide = readSlides().find(slide => slide.pollId === wall.id)!
const deck = useBuiltDeck()

async function presenter(change: { state: 'open' | 'closed' } | 'reset') {
  const response = await fetch(`${deck.server.url}/api/polls/${wall.id}/${change === 'reset'
    ? 'votes'
    : 'state'}`, {
    method: change === 'reset'
      ? 'DELETE'
      : 'POST',
    headers: { 'authorization': `Bearer ${deck.server.token}`, 'content-type': 'application/json' },
    body: change === 'reset'
      ? undefined
      : JSON.stringify(change),
  })
  expect(response.ok).toBe(true)
}

/** The ideas on the projected slide, top first, as «lifts text» (what the room sees; the words for screen readers left out). */
function onSlide(slide: ReturnType<Page['locator']>): Promise<string[]> {
  return slide.locator('ol > li').evaluateAll(items => items.map((item) => {
    const seen = item.cloneNode(true) as HTMLElement
    seen.querySelectorAll('.sr-only').forEach(hidden => hidden.remove())
    return [...seen.children].map(part => part.textContent!.trim()).join(' ')
  }))
}

async function share(page: Page, text: string): Promise<void> {
  await page.getByLabel('Din idé').fill(text)
  await page.getByRole('button', { name: 'Del idéen' }).click()
  await page.getByText('Takk! Idéen din vises når presentatøren har godkjent den.').waitFor()
}

describe('the idea wall during the talk', () => {
  it('shows a phone\'s idea once the presenter approves it, and reorders as the other phone lifts it', async () => {
    await presenter('reset')
    const speaker = await isolatedContext(deck.browser, deck.server.url, {
      viewport: { width: 1440, height: 900 },
    })
    const presenterView = await speaker.context.newPage()
    await presenterView.goto(`${deck.server.url}/presenter/${wallSlide.number}?token=${deck.server.token}`)
    await presenterView.getByRole('button', { name: 'Åpne avstemning' }).first().click()

    const room = await isolatedContext(deck.browser, deck.server.url, {
      viewport: { width: 1280, height: 720 },
    })
    const projector = await room.context.newPage()
    await projector.goto(`${deck.server.url}/${wallSlide.number}`)
    const slide = projector.locator(`.slidev-page-${wallSlide.number}`)
    await slide.getByText('Åpen for idéer').waitFor()

    const [first, second] = await Promise.all([0, 1].map(() => isolatedContext(deck.browser, deck.server.url, phone)))
    const phoneA = await first!.context.newPage()
    const phoneB = await second!.context.newPage()
    for (const page of [phoneA, phoneB]) {
      await page.goto(`${deck.server.url}/v`)
      await page.getByRole('heading', { name: wall.question }).waitFor()
    }
    await share(phoneA, 'Ungdommene blir ikke spurt')
    await share(phoneB, 'Tjenestene jobber i siloer')
    // Pre-moderated: the ideas wait, on the slide too, and their authors see them as theirs.
    await slide.getByText('2 idéer venter på godkjenning').waitFor()
    expect(await onSlide(slide)).toEqual([])
    await phoneA.getByRole('heading', { name: 'Dine idéer som ikke vises ennå' }).waitFor()
    expect(await phoneB.getByRole('button', { name: /^Løft/ }).count()).toBe(0)

    const moderate = presenterView.getByRole('button', { name: 'Moderer idéer (2 venter)' }).first()
    await moderate.click()
    const dialog = presenterView.getByRole('dialog', { name: 'Moderer idéer' })
    await dialog.getByRole('heading', { name: 'Venter på godkjenning (2)' }).waitFor()
    await expectNoAxeViolations(presenterView, 'moderation dialog', { include: 'dialog' })
    // From the keyboard: the queue oldest first, and focus moves on to the next idea, then to the empty queue.
    const focused = () => presenterView.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent?.trim())
    await dialog.getByRole('button', { name: 'Godkjenn «Ungdommene blir ikke spurt»' }).focus()
    await presenterView.keyboard.press('Enter')
    await expect.poll(focused).toBe('Godkjenn «Tjenestene jobber i siloer»')
    await presenterView.keyboard.press('Enter')
    await expect.poll(focused).toBe('Venter på godkjenning (0)')
    await dialog.getByRole('heading', { name: 'På veggen (2)' }).waitFor()
    // Equal lifts (each author's own): alphabetical.
    await expect.poll(() => onSlide(slide)).toEqual(['1 Tjenestene jobber i siloer', '1 Ungdommene blir ikke spurt'])
    expect(await slide.innerText()).toContain('2 idéer fra 2 personer')

    const lift = phoneB.getByRole('button', { name: 'Løft «Ungdommene blir ikke spurt»' })
    expect(await lift.getAttribute('aria-pressed')).toBe('false')
    expect(await phoneB.getByRole('button', { name: 'Løft «Tjenestene jobber i siloer»' }).getAttribute('aria-pressed')).toBe('true')
    // Lifted from the keyboard: the idea moves up the phone's list too, and the focus stays on it.
    await lift.focus()
    await phoneB.keyboard.press('Space')
    await expect.poll(() => lift.getAttribute('aria-pressed')).toBe('true')
    await expect.poll(() => onSlide(slide)).toEqual(['2 Ungdommene blir ikke spurt', '1 Tjenestene jobber i siloer'])
    await expect.poll(() => phoneB.locator('ol > li').first().innerText()).toContain('Ungdommene blir ikke spurt')
    expect(await lift.evaluate(button => button === document.activeElement)).toBe(true)
    expect(await axeViolations(projector, 'idea wall slide', { include: `.slidev-page-${wallSlide.number}` })).toEqual([])
    await expect.poll(() => phoneA.locator('ol > li').first().innerText()).toMatch(/Ungdommene blir ikke spurt\s+2 løft · Din idé/)
    expect(await slideTextProblems(projector, wallSlide.number)).toEqual([])

    // A lift taken back; a hidden idea leaves the slide and the phones, and comes back.
    await lift.click()
    await expect.poll(() => lift.getAttribute('aria-pressed')).toBe('false')
    await expect.poll(() => onSlide(slide)).toEqual(['1 Tjenestene jobber i siloer', '1 Ungdommene blir ikke spurt'])
    await dialog.getByRole('button', { name: 'Skjul «Tjenestene jobber i siloer»' }).click()
    await expect.poll(() => onSlide(slide)).toEqual(['1 Ungdommene blir ikke spurt'])
    await expect.poll(() => phoneA.getByRole('button', { name: /^Løft/ }).count()).toBe(1)
    await dialog.getByRole('button', { name: 'Vis igjen «Tjenestene jobber i siloer»' }).click()
    await expect.poll(() => onSlide(slide)).toHaveLength(2)

    await presenter({ state: 'closed' })
    await phoneB.getByText('Idéveggen er stengt.').waitFor()
    for (const context of [speaker, room, first!, second!])
      expect(context.foreignRequests).toEqual([])
    await Promise.all([speaker, room, first!, second!].map(({ context }) => context.close()))
  })

  it.each(['light', 'dark'] as const)('passes axe on the phone, open and closed (%s)', async (colorScheme) => {
    await presenter('reset')
    await presenter({ state: 'open' })
    const { context } = await isolatedContext(deck.browser, deck.server.url, { ...phone, colorScheme })
    const page = await context.newPage()
    await page.goto(`${deck.server.url}/v/${wall.id}`)
    await page.getByRole('button', { name: 'Del idéen' }).waitFor()
    await expectNoAxeViolations(page, `${wall.id} empty`)
    await share(page, `Idé fra en telefon i ${colorScheme === 'light'
      ? 'lys'
      : 'mørk'} modus`)
    const [idea] = (await (await fetch(`${deck.server.url}/api/polls/${wall.id}`, {
      headers: { authorization: `Bearer ${deck.server.token}` },
    })).json()).ideas as { id: string }[]
    await fetch(`${deck.server.url}/api/polls/${wall.id}/ideas/${idea!.id}/state`, {
      method: 'POST',
      headers: { 'authorization': `Bearer ${deck.server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'approved' }),
    })
    await page.locator('ol').getByText('Din idé').waitFor()
    await expectNoAxeViolations(page, `${wall.id} with an idea of this phone's`)
    await presenter({ state: 'closed' })
    await page.getByText('Idéveggen er stengt.').waitFor()
    await expectNoAxeViolations(page, `${wall.id} closed`)
    await context.close()
  })
})
