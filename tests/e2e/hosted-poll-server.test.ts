/**
 * The deck on one origin, the poll server on another: built once here with POLL_SERVER=http://localhost:B into its
 * own directory, served statically on http://127.0.0.1:A (listed in the server's POLL_ALLOWED_ORIGINS) and on
 * http://127.0.0.1:C (not listed). The talk's own flow on A; on C, the saved results and a notice.
 */
import type { Browser, Page } from 'playwright-chromium'
import type { PollServer } from '../../tools/poll-server-process.ts'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { encode } from 'uqr'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../scripts/free-port.ts'
import { serveFetch } from '../../scripts/serve-fetch.ts'
import { createStaticHandler } from '../../server/static.ts'
import { startPollServer } from '../../tools/poll-server-process.ts'
import { readSlides } from '../slides-source.ts'
import { isolatedContext, launchBrowser } from './browser.ts'

const POLL = 'forstyrret'
const pollSlide = readSlides().find(slide => slide.pollId === POLL)!
/** The results saved after an earlier talk, built into the deck: what it shows without its server. */
const SAVED = {
  [POLL]: {
    total: 7,
    tallies: { ja: 4, delvis: 2, nei: 1 },
    closedAt: '2026-01-01T12:00:00.000Z',
  },
}
const phone = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
}

const dir = mkdtempSync(join(tmpdir(), 'samskaping-poll-server-'))
const outDir = join(dir, 'dist')
let pollServerUrl: string
let server: PollServer
let allowed: { url: string, close: () => Promise<void> }
let refused: { url: string, close: () => Promise<void> }
let browser: Browser

beforeAll(async () => {
  const pollPort = await freePort()
  pollServerUrl = `http://localhost:${pollPort}`
  const snapshot = join(dir, 'saved-results.json')
  writeFileSync(snapshot, `${JSON.stringify(SAVED)}\n`)
  execFileSync(process.execPath, ['scripts/build.ts'], {
    env: {
      ...process.env,
      OUT_DIR: outDir,
      POLL_SERVER: pollServerUrl,
      POLL_SNAPSHOT: snapshot,
    },
    stdio: 'inherit',
  })
  allowed = await serveFetch(createStaticHandler(outDir))
  refused = await serveFetch(createStaticHandler(outDir))
  server = await startPollServer({
    env: {
      PORT: String(pollPort),
      DIST_DIR: outDir,
      POLL_ALLOWED_ORIGINS: allowed.url,
      // A hosted server names the address phones use: the QR code is built from it, never from a request.
      PUBLIC_URL: pollServerUrl,
    },
  })
  browser = await launchBrowser()
}, 400_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await allowed?.close()
  await refused?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** The dark modules the slide's QR code draws (one `M{x} {y}h1v1h-1z` square each), as rows of booleans. */
async function drawnQr(page: Page): Promise<boolean[][]> {
  const svg = page.locator(`.slidev-page-${pollSlide.number} figure svg`)
  const size = Number((await svg.getAttribute('viewBox'))!.split(' ')[2])
  const rows = Array.from({ length: size }, () => Array.from<boolean>({ length: size }).fill(false))
  for (const [, x, y] of (await svg.locator('path').getAttribute('d'))!.matchAll(/M(\d+) (\d+)h1v1h-1z/g))
    rows[Number(y)]![Number(x)] = true
  return rows
}

describe('a deck hosted apart from its poll server', () => {
  it('runs a poll on the allowed origin: the presenter opens it, a phone votes through the QR address, the projected slide shows it', async () => {
    const speaker = await isolatedContext(browser, allowed.url, {
      viewport: { width: 1440, height: 900 },
    })
    const presenter = await speaker.context.newPage()
    await presenter.goto(`${allowed.url}/presenter/${pollSlide.number}?token=${server.token}`)

    const room = await isolatedContext(browser, allowed.url, {
      viewport: { width: 1280, height: 720 },
    })
    const projector = await room.context.newPage()
    await projector.goto(`${allowed.url}/${pollSlide.number}`)
    const slide = projector.locator(`.slidev-page-${pollSlide.number}`)
    await slide.getByText('Stengt').first().waitFor()

    await presenter.getByRole('button', { name: /Åpne avstemning/ }).first().click()
    await slide.getByText('Åpen for stemmer').first().waitFor()

    // The QR code and the short address point at the poll server's voting page, not at the deck's origin.
    const voteUrl = `${pollServerUrl}/v`
    expect(await slide.locator('figure strong').innerText()).toBe(voteUrl.replace('http://', ''))
    expect(await drawnQr(projector)).toEqual(encode(voteUrl, { ecc: 'M', border: 2 }).data)

    const pocket = await isolatedContext(browser, pollServerUrl, phone)
    const page = await pocket.context.newPage()
    await page.goto(voteUrl)
    await page.getByLabel('Ja').check()
    await page.getByRole('button', { name: 'Send stemmen' }).click()
    await page.getByText('Stemmen er mottatt.').waitFor()

    await expect.poll(() => slide.innerText()).toContain('Åpen for stemmer · 1 stemme')
    expect(await slide.textContent()).toContain('Ja: 1 stemme (100\u00A0%)')

    // The deck talks to its own origin and the poll server, nothing else; the phone only to the poll server.
    for (const { foreignRequests } of [speaker, room])
      expect(foreignRequests.filter(url => !url.startsWith(pollServerUrl))).toEqual([])
    expect(pocket.foreignRequests).toEqual([])
    await Promise.all([speaker, room, pocket].map(({ context }) => context.close()))
  })

  it('on an origin the server does not allow, shows the saved results and says why, instead of waiting forever', async () => {
    const room = await isolatedContext(browser, refused.url, {
      viewport: { width: 1280, height: 720 },
    })
    const projector = await room.context.newPage()
    await projector.goto(`${refused.url}/${pollSlide.number}`)
    const slide = projector.locator(`.slidev-page-${pollSlide.number}`)
    await slide.getByText('Ingen kontakt med avstemningstjeneren – viser lagrede resultater.').waitFor()
    const text = await slide.innerText()
    expect(text).toContain('Endelig resultat · 7 stemmer')
    expect(await slide.textContent()).toContain('Ja: 4 stemmer (57\u00A0%)')
    expect(text).not.toMatch(/Åpen for stemmer|Ja: 1 stemme /) // the live vote from the allowed origin stays there
    expect(text).not.toMatch(/Kobler til|Laster/)
    expect(await slide.locator('figure svg').count()).toBe(0)

    const speaker = await isolatedContext(browser, refused.url, {
      viewport: { width: 1440, height: 900 },
    })
    const presenter = await speaker.context.newPage()
    await presenter.goto(`${refused.url}/presenter/${pollSlide.number}?token=${server.token}`)
    const alert = presenter.getByRole('alert').filter({ hasText: 'POLL_ALLOWED_ORIGINS' }).first()
    await alert.waitFor()
    expect(await alert.innerText()).toBe(`Avstemningstjeneren (${pollServerUrl}) svarer ikke på forespørsler fra denne siden. Kjører den, og står ${refused.url} i POLL_ALLOWED_ORIGINS der?`)
    expect(await presenter.getByRole('button', { name: /Åpne avstemning/ }).count()).toBe(0)
    await Promise.all([room, speaker].map(({ context }) => context.close()))
  })
})
