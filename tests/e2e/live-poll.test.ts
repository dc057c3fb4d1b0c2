import { describe, expect, it } from 'vitest'
import { readSlides } from '../slides-source.ts'
import { isolatedContext } from './browser.ts'
import { useBuiltDeck } from './built-deck.ts'

// A talk in miniature: the speaker's presenter view, the projected slide, and two phones in the room.
const phone = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
}
const pollSlide = readSlides().find(slide => slide.pollId === 'forstyrret')!
const deck = useBuiltDeck()

describe('a live poll during the talk', () => {
  it('shows the phones\' votes on the projected slide', async () => {
    const speaker = await isolatedContext(deck.browser, deck.server.url, {
      viewport: { width: 1440, height: 900 },
    })
    const presenter = await speaker.context.newPage()
    const requestsWithToken: string[] = []
    presenter.on('request', request => request.url().includes(deck.server.token) && requestsWithToken.push(request.url()))
    await presenter.goto(`${deck.server.url}/presenter/${pollSlide.number}?token=${deck.server.token}`)
    // The token leaves the address bar at once; the presenter's buttons still work (it went to localStorage).
    await presenter.getByRole('button', { name: /Åpne avstemning/ }).first().waitFor()
    expect(new URL(presenter.url()).pathname).toBe(`/presenter/${pollSlide.number}`)
    expect(presenter.url()).not.toContain(deck.server.token)

    const room = await isolatedContext(deck.browser, deck.server.url, {
      viewport: { width: 1280, height: 720 },
    })
    const projector = await room.context.newPage()
    await projector.goto(`${deck.server.url}/${pollSlide.number}`)
    const slide = projector.locator(`.slidev-page-${pollSlide.number}`)
    await slide.getByText('Stengt').first().waitFor()

    await presenter.getByRole('button', { name: /Åpne avstemning/ }).first().click()
    await slide.getByText('Åpen for stemmer').first().waitFor()

    const phones = await Promise.all([0, 1].map(() => isolatedContext(deck.browser, deck.server.url, phone)))
    for (const [index, answer] of ['Ja', 'Delvis'].entries()) {
      const page = await phones[index]!.context.newPage()
      await page.goto(`${deck.server.url}/v`)
      await page.getByLabel(answer).check()
      await page.getByRole('button', { name: 'Send stemmen' }).click()
      await page.getByText('Stemmen er mottatt.').waitFor()
    }

    await expect.poll(() => slide.innerText()).toContain('2 stemmer')
    const results = await slide.textContent()
    expect(results).toContain('Ja: 1 stemme (50\u00A0%)')
    expect(results).toContain('Delvis: 1 stemme (50\u00A0%)')
    expect(results).toContain('Nei: 0 stemmer (0\u00A0%)')

    // Moving on keeps the token out of the address, and no request ever carried it in its address.
    await presenter.keyboard.press('ArrowRight')
    await presenter.keyboard.press('ArrowRight')
    await expect.poll(() => presenter.url()).not.toMatch(new RegExp(`/presenter/${pollSlide.number}$`))
    expect(presenter.url()).not.toContain(deck.server.token)
    expect(requestsWithToken).toEqual([
      `${deck.server.url}/presenter/${pollSlide.number}?token=${deck.server.token}`,
    ])

    for (const context of [speaker, room, ...phones])
      expect(context.foreignRequests).toEqual([])
    await Promise.all([speaker, room, ...phones].map(({ context }) => context.close()))
  })
})
