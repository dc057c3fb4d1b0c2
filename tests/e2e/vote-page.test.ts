import type { Browser } from 'playwright-chromium'
import type { PollServer } from '../../tools/poll-server-process.ts'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import process from 'node:process'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { subsetCharacters } from '../../plugins/subset-fonts.ts'
import { findPoll } from '../../polls/catalog.ts'
import { polls } from '../../snippets/polls.ts'
import { palette } from '../../styles/palette.ts'
import { startPollServer } from '../../tools/poll-server-process.ts'
import { voteFontSubset } from '../../vote/font-subset.ts'
import { expectNoAxeViolations } from './axe.ts'
import { isolatedContext, launchBrowser } from './browser.ts'

/** The built deck with the voting page in vote/ (`npm run build`); E2E_DIST_DIR points elsewhere. */
const distDir = resolve(process.env.E2E_DIST_DIR ?? 'dist')
const phone = {
  viewport: { width: 390, height: 844 },
  hasTouch: true,
  isMobile: true,
}
let server: PollServer
let browser: Browser

beforeAll(async () => {
  if (!existsSync(join(distDir, 'vote', 'index.html')))
    throw new Error(`${distDir}/vote/ is missing: run \`npm run build\` before the end-to-end tests.`)
  server = await startPollServer({
    env: { DIST_DIR: distDir, POLL_RATE_PER_VOTER: '0' },
  })
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

async function presenter(id: string, change: { state?: 'open' | 'closed', revealed?: boolean } | 'reset') {
  const response = await fetch(`${server.url}/api/polls/${id}/${change === 'reset'
    ? 'votes'
    : 'state'}`, {
    method: change === 'reset'
      ? 'DELETE'
      : 'POST',
    headers: { 'authorization': `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: change === 'reset'
      ? undefined
      : JSON.stringify(change),
  })
  expect(response.ok).toBe(true)
}

/** `#0b5f5a` as getComputedStyle() writes it. */
function rgb(hex: string): string {
  const [r, g, b] = [1, 3, 5].map(index => Number.parseInt(hex.slice(index, index + 2), 16))
  return `rgb(${r}, ${g}, ${b})`
}

async function tallies(id: string): Promise<{ total: number, tallies: Record<string, number> }> {
  return (await fetch(`${server.url}/api/polls/${id}`)).json()
}

describe('the phone voting page', () => {
  it('loads in at most 50 KB gzip from this server alone', async () => {
    const html = readFileSync(join(distDir, 'vote', 'index.html'), 'utf8')
    const assets = [
      ...html.matchAll(/(?:src|href)="\/v\/(assets\/[^"]+)"/g),
    ].map(match => match[1]!)
    expect(assets.some(asset => asset.endsWith('.js'))).toBe(true)
    const gzipBytes = [
      html,
      ...assets.map(asset => readFileSync(join(distDir, 'vote', asset))),
    ]
      .reduce((sum, content) => sum + gzipSync(content, { level: 9 }).byteLength, 0)
    console.warn(`voting page, first load: ${(gzipBytes / 1024).toFixed(1)} KiB gzip (HTML, ${assets.join(', ')})`)
    expect(gzipBytes).toBeLessThanOrEqual(50 * 1024)
    expect(assets.filter(asset => asset.endsWith('.woff2'))).toHaveLength(1)

    const { context, foreignRequests } = await isolatedContext(browser, server.url, phone)
    const page = await context.newPage()
    const loaded: string[] = []
    page.on('request', request => !request.url().includes('/api/') && loaded.push(request.url()))
    await page.goto(`${server.url}/v`, { waitUntil: 'networkidle' })
    expect(loaded).toHaveLength(1 + assets.length)
    expect(foreignRequests).toEqual([])
    expect(await page.getAttribute('html', 'lang')).toBe('nb')
    await context.close()
  })

  it('follows the presenter, confirms a vote only once stored, and lets it be changed', async () => {
    const { context } = await isolatedContext(browser, server.url, phone)
    const page = await context.newPage()
    const voters = new Map<string, Set<string>>()
    page.on('request', (request) => {
      const poll = request.url().match(/\/api\/polls\/([^/]+)\/votes$/)?.[1]
      if (poll && request.method() === 'POST')
        voters.set(poll, (voters.get(poll) ?? new Set()).add((request.postDataJSON() as { voter: string }).voter))
    })
    await page.goto(`${server.url}/v`)
    await page.getByRole('heading', { name: 'Venter på neste spørsmål' }).waitFor()

    await presenter('forstyrret', 'reset')
    await presenter('forstyrret', { state: 'open' })
    await page.getByRole('heading', { name: findPoll(polls, 'forstyrret')!.question }).waitFor()
    await page.getByLabel('Delvis').check()
    await page.getByRole('button', { name: 'Send stemmen' }).click()
    await expect.poll(() => page.getByRole('status').last().textContent()).toContain('Stemmen er mottatt.')
    expect(await tallies('forstyrret')).toMatchObject({
      total: 1,
      tallies: { ja: 0, delvis: 1, nei: 0 },
    })

    await page.reload()
    await page.getByText('Din stemme: Delvis').waitFor()
    await page.getByLabel('Ja').check()
    await page.getByRole('button', { name: 'Endre stemmen' }).click()
    await page.getByText('Din stemme: Ja').waitFor()
    expect(await tallies('forstyrret')).toMatchObject({
      total: 1,
      tallies: { ja: 1, delvis: 0, nei: 0 },
    })

    await presenter('dristig', 'reset')
    await presenter('dristig', { state: 'open' })
    await page.getByRole('heading', { name: findPoll(polls, 'dristig')!.question }).waitFor()
    await page.locator('label.step').nth(3).click()
    await page.getByRole('button', { name: 'Send stemmen' }).click()
    await expect.poll(() => page.getByRole('status').last().textContent()).toContain('Stemmen er mottatt.')
    // One id per poll, the same for a changed vote: the server cannot link this phone's answers across polls.
    const forstyrret = [
      ...voters.get('forstyrret') ?? [],
    ]
    const dristig = [
      ...voters.get('dristig') ?? [],
    ]
    expect(forstyrret).toHaveLength(1)
    expect(dristig).toHaveLength(1)
    expect(dristig[0]).not.toBe(forstyrret[0])
    await presenter('forstyrret', { state: 'closed' })
    await presenter('dristig', { state: 'closed' })
    await page.getByText('Avstemningen er stengt.').waitFor()
    await context.close()
  })

  it('holds one event stream while it follows the presenter from poll to poll', async () => {
    const { context } = await isolatedContext(browser, server.url, phone)
    const page = await context.newPage()
    const streams: string[] = []
    page.on('request', (request) => {
      const url = new URL(request.url())
      if (url.pathname.endsWith('/events'))
        streams.push(url.pathname + url.search)
    })
    await page.goto(`${server.url}/v`)
    await page.getByRole('heading', { name: 'Venter på neste spørsmål' }).waitFor()
    await presenter('forstyrret', { state: 'open' })
    await page.getByRole('heading', { name: findPoll(polls, 'forstyrret')!.question }).waitFor()
    await presenter('forstyrret', { state: 'closed' })
    await page.getByText('Avstemningen er stengt.').waitFor()
    await presenter('dristig', { state: 'open' })
    await page.getByRole('heading', { name: findPoll(polls, 'dristig')!.question }).waitFor()
    await presenter('dristig', { state: 'closed' })
    await page.getByText('Avstemningen er stengt.').waitFor()
    expect(streams).toEqual(['/api/events'])
    await context.close()
  })

  it('keeps the choice and says the poll is closed when the server answers 409', async () => {
    await presenter('paradigme', { state: 'open' })
    const { context } = await isolatedContext(browser, server.url, phone)
    // The phone misses the closing (its event stream fails), so only the server can tell it.
    await context.route('**/api/polls/paradigme/events?pace=phone', route => route.fulfill({ status: 503, body: '' }))
    const page = await context.newPage()
    await page.goto(`${server.url}/v/paradigme`)
    await page.getByLabel('Samskaping').check()
    await presenter('paradigme', { state: 'closed' })
    await page.getByRole('button', { name: 'Send stemmen' }).click()
    await expect.poll(() => page.getByRole('status').last().textContent()).toContain('Avstemningen er stengt.')
    expect(await page.getByLabel('Samskaping').isChecked()).toBe(true)
    await expect.poll(() => page.getByText('Stemmen er mottatt.').count()).toBe(0)
    await context.close()
  })

  it('shows the quiz answer when the presenter reveals it', async () => {
    await presenter('dugnad-eller-samskaping', { state: 'open' })
    const { context } = await isolatedContext(browser, server.url, phone)
    const page = await context.newPage()
    await page.goto(`${server.url}/v/dugnad-eller-samskaping`)
    await page.getByLabel('Dugnad').check()
    await page.getByRole('button', { name: 'Send stemmen' }).click()
    await page.getByText('Stemmen er mottatt.').waitFor()
    await presenter('dugnad-eller-samskaping', { state: 'closed' })
    await presenter('dugnad-eller-samskaping', { revealed: true })
    await page.getByText('Riktig svar: Dugnad – du svarte riktig!').waitFor()
    await presenter('dugnad-eller-samskaping', 'reset')
    await context.close()
  })

  it.each(['light', 'dark'] as const)('looks like the talk (%s): the deck\'s colours, Source Sans 3, its mark, large answers', async (colorScheme) => {
    await presenter('rundt-bordet', { state: 'open' })
    const { context } = await isolatedContext(browser, server.url, { ...phone, colorScheme })
    const page = await context.newPage()
    await page.goto(`${server.url}/v/rundt-bordet`)
    await page.getByRole('button', { name: 'Send stemmen' }).waitFor()
    await page.evaluate(() => document.fonts.ready)
    const look = await page.evaluate(() => {
      const heading = document.querySelector('h1')!
      return {
        page: getComputedStyle(document.body).backgroundColor,
        heading: getComputedStyle(heading).color,
        button: getComputedStyle(document.querySelector('.primary-button')!).backgroundColor,
        family: getComputedStyle(heading).fontFamily,
        fonts: [...document.fonts].filter(font => font.status === 'loaded').map(font => `${font.family.replace(/"/g, '')} ${font.weight}`),
        targets: [
          ...document.querySelectorAll('.answer-tile, .primary-button'),
        ].map(target => target.getBoundingClientRect().height),
        mark: document.querySelectorAll('header svg circle').length,
      }
    })
    const colors = palette[colorScheme]
    expect(look.page).toBe(rgb(colors.paper))
    expect(look.heading).toBe(rgb(colors.fjord))
    expect(look.button).toBe(rgb(colors.fjord))
    expect(look.family).toMatch(/^"Source Sans 3"/)
    expect(look.fonts).toEqual(['Source Sans 3 400'])
    const options = await page.locator('input[type="checkbox"]').count()
    expect(options).toBeGreaterThan(1)
    expect(look.targets).toHaveLength(options + 1)
    expect(Math.min(...look.targets)).toBeGreaterThanOrEqual(48)
    expect(look.mark).toBe(3)
    await presenter('rundt-bordet', { state: 'closed' })
    await context.close()
  })

  it('has every character it shows in its font subset, in every poll', async () => {
    const inFont = new Set(subsetCharacters(voteFontSubset))
    const { context } = await isolatedContext(browser, server.url, phone)
    const page = await context.newPage()
    const shown = new Set<string>()
    for (const poll of polls) {
      await presenter(poll.id, { state: 'open' })
      await page.goto(`${server.url}/v/${poll.id}`)
      // An idea wall has its own page: a field to share an idea instead of the voting form.
      await page.getByRole('button', {
        name: poll.kind === 'ideas'
          ? 'Del idéen'
          : 'Send stemmen',
      }).waitFor()
      for (const char of await page.locator('body').innerText())
        shown.add(char)
      await presenter(poll.id, { state: 'closed' })
    }
    expect([...shown].filter(char => char.trim() && !inFont.has(char))).toEqual([])
    await context.close()
  })

  it.each(['light', 'dark'] as const)('passes axe in every poll kind and state (%s)', async (colorScheme) => {
    const { context } = await isolatedContext(browser, server.url, { ...phone, colorScheme })
    const page = await context.newPage()
    await page.goto(`${server.url}/v`)
    await page.getByRole('heading', { name: 'Venter på neste spørsmål' }).waitFor()
    await expectNoAxeViolations(page, 'waiting')
    for (const id of [
      'forstyrret',
      'rundt-bordet',
      'dristig',
      'vane',
      'dugnad-eller-samskaping',
    ]) {
      await page.goto(`${server.url}/v/${id}`)
      await presenter(id, { state: 'open' })
      await page.getByRole('button', { name: /stemmen/ }).waitFor()
      await expectNoAxeViolations(page, `${id} open`)
      await presenter(id, { state: 'closed' })
      await page.getByText('Avstemningen er stengt.').waitFor()
      await expectNoAxeViolations(page, `${id} closed`)
    }
    await context.close()
  })
})
