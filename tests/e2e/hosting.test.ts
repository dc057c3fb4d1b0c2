import type { Buffer } from 'node:buffer'
import type { ChildProcess } from 'node:child_process'
import type { Browser } from 'playwright-chromium'
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../scripts/free-port.ts'
import { keyText, readSlides } from '../slides-source.ts'
import { isolatedContext, launchBrowser } from './browser.ts'

// The hosted deck: built under a sub-path, served as a static host would (no poll server).
const base = '/samskaping-deck/'
const buildDir = mkdtempSync(join(tmpdir(), 'samskaping-hosted-'))
const outDir = join(buildDir, 'dist')
const buildTmp = join(buildDir, 'tmp')
const slides = readSlides()
let preview: ChildProcess
let origin: string
let browser: Browser

beforeAll(async () => {
  mkdirSync(buildTmp)
  execFileSync('node', ['scripts/build.ts'], {
    env: {
      ...process.env,
      TMPDIR: buildTmp,
      BASE: base,
      OUT_DIR: outDir,
      SITE_URL: `https://example.org${base}`,
    },
    stdio: 'inherit',
  })
  const port = await freePort()
  origin = `http://127.0.0.1:${port}`
  preview = spawn('node', ['scripts/preview.ts'], {
    env: {
      ...process.env,
      BASE: base,
      DIST_DIR: outDir,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    preview.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes(origin) && resolve())
    preview.once('exit', code => reject(new Error(`preview exited with ${code}`)))
  })
  browser = await launchBrowser()
}, 300_000)

afterAll(async () => {
  await browser?.close()
  preview?.kill()
  rmSync(buildDir, { recursive: true, force: true })
})

describe('the hosted deck under a sub-path', () => {
  it('was built without leaving anything in the temporary directory', () => {
    expect(readdirSync(buildTmp)).toEqual([])
  })

  it('opens every slide from its own URL, with nothing fetched from elsewhere', async () => {
    const { context, foreignRequests } = await isolatedContext(browser, origin)
    const page = await context.newPage()
    for (const slide of slides) {
      await page.goto(`${origin}${base}${slide.number}`, { waitUntil: 'domcontentloaded' })
      await page.locator(`.slidev-page-${slide.number}`).waitFor({ state: 'visible' })
      const expected = keyText(slide)
      if (expected)
        await expect.poll(async () => (await page.locator(`.slidev-page-${slide.number}`).innerText()).replace(/\s+/g, ' ')).toContain(expected)
    }
    expect(foreignRequests).toEqual([])
    await context.close()
  })

  it('has the reading view under the sub-path, from its own URL and from the deck\'s link', async () => {
    const { context, foreignRequests } = await isolatedContext(browser, origin)
    const page = await context.newPage()
    await page.goto(`${origin}${base}les`, { waitUntil: 'networkidle' })
    const last = slides.at(-1)!
    await page.locator(`#lysbilde-${last.number} .slidev-layout`).waitFor()
    expect(await page.locator(`#lysbilde-${last.number}`).innerText()).toContain('SESAM')
    expect(await page.getByRole('navigation', { name: 'Innhold' }).getByRole('link').count()).toBe(slides.length)

    await page.goto(`${origin}${base}2`, { waitUntil: 'networkidle' })
    await page.locator('.slidev-page-2').getByRole('link', { name: 'Les som tekst' }).click()
    await page.waitForURL(`${origin}${base}les`)
    await page.locator(`#lysbilde-${last.number} .slidev-layout`).waitFor()
    expect(foreignRequests).toEqual([])
    await context.close()
  })

  it('keeps working with the network cut after the first visit', async () => {
    const { context } = await isolatedContext(browser, origin, { serviceWorkers: 'allow' })
    const page = await context.newPage()
    await page.goto(`${origin}${base}1`, { waitUntil: 'networkidle' })
    // The service worker has precached the deck once it controls the page.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready
      if (!navigator.serviceWorker.controller)
        await new Promise(resolve => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }))
    })
    await context.setOffline(true)
    const last = slides.at(-1)!
    await page.goto(`${origin}${base}${last.number}`)
    await page.locator(`.slidev-page-${last.number}`).waitFor({ state: 'visible' })
    await page.reload()
    await page.locator(`.slidev-page-${last.number}`).waitFor({ state: 'visible' })
    expect(await page.locator(`.slidev-page-${last.number}`).innerText()).toContain('SESAM')
    await context.close()
  })

  it('describes itself for link previews and installation', () => {
    const html = readFileSync(join(outDir, 'index.html'), 'utf8')
    expect(html).toContain(`<meta property="og:image" content="https://example.org${base}og-image.png">`)
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image">')
    expect(html).toContain(`href="${base}favicon.svg"`)
    const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.webmanifest'), 'utf8'))
    expect(manifest).toMatchObject({ lang: 'nb', short_name: 'Samskaping', start_url: '.' })
    const png = readFileSync(join(outDir, 'og-image.png'))
    expect(png.readUInt32BE(16)).toBe(1200)
  })
})
