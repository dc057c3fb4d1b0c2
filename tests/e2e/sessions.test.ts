import { describe, expect, it } from 'vitest'
import { polls } from '../../snippets/polls.ts'
import { readSlides } from '../slides-source.ts'
import { expectNoAxeViolations } from './axe.ts'
import { isolatedContext } from './browser.ts'
import { useBuiltDeck } from './built-deck.ts'

// The same talk given twice: the speaker starts a new session for the second room from the presenter view.
const pollSlide = readSlides().find(slide => slide.pollId === 'forstyrret')!
const question = polls.find(poll => poll.id === 'forstyrret')!.question
const deck = useBuiltDeck()

async function vote(answer: string): Promise<void> {
  const phone = await isolatedContext(deck.browser, deck.server.url, {
    viewport: { width: 390, height: 844 },
    isMobile: true,
  })
  const page = await phone.context.newPage()
  await page.goto(`${deck.server.url}/v/forstyrret`)
  await page.getByLabel(answer).check()
  await page.getByRole('button', { name: 'Send stemmen' }).click()
  await page.getByText('Stemmen er mottatt.').waitFor()
  await phone.context.close()
}

describe('sessions', () => {
  it('starts a new session from the presenter view: the projected poll starts at 0, and the results page lists both', async () => {
    const speaker = await isolatedContext(deck.browser, deck.server.url, {
      viewport: { width: 1440, height: 900 },
    })
    const presenter = await speaker.context.newPage()
    await presenter.goto(`${deck.server.url}/presenter/${pollSlide.number}?token=${deck.server.token}`)
    await presenter.getByRole('button', { name: /Åpne avstemning/ }).first().click()

    const room = await isolatedContext(deck.browser, deck.server.url, {
      viewport: { width: 1280, height: 720 },
    })
    const projector = await room.context.newPage()
    await projector.goto(`${deck.server.url}/${pollSlide.number}`)
    const slide = projector.locator(`.slidev-page-${pollSlide.number}`)
    await slide.getByText('Åpen for stemmer').first().waitFor()
    await vote('Ja')
    await vote('Nei')
    await vote('Ja')
    await expect.poll(() => slide.innerText()).toContain('3 stemmer')

    await presenter.getByRole('button', { name: /^Økt: / }).first().click()
    const dialog = presenter.getByRole('dialog', { name: 'Økter' })
    await dialog.getByLabel('Navn på en ny økt').fill('Kommuneseminar i Skien')
    await dialog.getByRole('button', { name: 'Start ny økt' }).click()
    await dialog.getByText('Ny økt startet: Kommuneseminar i Skien.').waitFor()
    await expectNoAxeViolations(presenter, 'the sessions dialog', { include: '.presenter-dialog[open]' })
    await dialog.getByRole('button', { name: 'Lukk' }).click()

    // The room sees the poll closed and empty; the presenter opens it again for the new audience.
    await expect.poll(() => slide.innerText()).toContain('Stengt · 0 stemmer')
    await presenter.getByRole('button', { name: /Åpne avstemning/ }).first().click()
    await vote('Delvis')
    await expect.poll(() => slide.innerText()).toContain('Åpen for stemmer · 1 stemme')

    const results = await speaker.context.newPage()
    await results.goto(`${deck.server.url}/resultater`)
    await results.getByRole('heading', { name: 'Resultater fra alle økter' }).waitFor()
    const sessions = results.locator('section.session')
    await expect.poll(() => sessions.count()).toBe(2)
    const newest = sessions.nth(0)
    await newest.getByRole('table', { name: `${question} (1 stemme)` }).waitFor()
    expect(await newest.getByRole('heading').innerText()).toBe('Kommuneseminar i Skien')
    expect(await newest.innerText()).toContain('pågår nå')
    const earlier = sessions.nth(1)
    const earlierTable = earlier.getByRole('table', { name: `${question} (3 stemmer)` })
    await earlierTable.waitFor()
    expect(await earlierTable.getByRole('row', { name: /^Ja 2/ }).innerText()).toMatch(/Ja\s+2\s+67\s%/)
    expect(await earlierTable.getByRole('row', { name: /^Nei 1/ }).innerText()).toMatch(/Nei\s+1\s+33\s%/)
    await expectNoAxeViolations(results, 'the results page')

    const [download] = await Promise.all([
      results.waitForEvent('download'),
      earlier.getByRole('button', { name: 'Last ned CSV' }).click(),
    ])
    const csv = await new Response(await download.createReadStream() as unknown as ReadableStream).text()
    expect(csv.replace(/"/g, '')).toContain('forstyrret')
    expect(csv.replace(/"/g, '')).toMatch(/,ja,Ja,2\r\n/)

    for (const context of [speaker, room])
      expect(context.foreignRequests).toEqual([])
    await Promise.all([speaker, room].map(({ context }) => context.close()))
  })
})
