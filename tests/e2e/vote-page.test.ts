import type { Browser } from 'playwright-chromium'
import type { PollServer } from '../../tools/poll-server-process.ts'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import process from 'node:process'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findPoll } from '../../polls/catalog.ts'
import { polls } from '../../snippets/polls.ts'
import { startPollServer } from '../../tools/poll-server-process.ts'
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
    expect(gzipBytes).toBeLessThanOrEqual(50 * 1024)

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

    await presenter('dristig', { state: 'open' })
    await page.getByRole('heading', { name: findPoll(polls, 'dristig')!.question }).waitFor()
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
