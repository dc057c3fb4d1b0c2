/**
 * The link-preview image (Open Graph / Twitter card): the title slide of the built deck, rendered by Chromium. The
 * same visit tells which files slide 1 needs, so the build can have the browser fetch them all at once.
 */
import { join } from 'node:path'
import { chromium } from 'playwright-chromium'
import { createStaticHandler } from '../server/static.ts'
import { waitFor } from '../tools/wait.ts'
import { launchOptions } from './browser.ts'
import { serveFetch } from './serve-fetch.ts'

export interface SlideOneFile {
  /** Path under the deck's base, e.g. `assets/play-abc.js`. */
  path: string
  type: 'script' | 'style' | 'font'
}

/** Writes og-image.png and returns the scripts, styles and fonts slide 1 loaded, in the order it asked for them. */
export async function writeOgImage(distDir: string, base: string): Promise<SlideOneFile[]> {
  const server = await serveFetch(createStaticHandler(distDir), { base })
  const browser = await chromium.launch(launchOptions())
  try {
    const context = await browser.newContext({
      viewport: { width: 1200, height: 675 },
      colorScheme: 'light',
      serviceWorkers: 'block',
    })
    const page = await context.newPage()
    const files: SlideOneFile[] = []
    const types: Record<string, SlideOneFile['type']> = { script: 'script', stylesheet: 'style', font: 'font' }
    page.on('request', (request) => {
      const type = types[request.resourceType()]
      if (type && request.url().startsWith(`${server.url}/`)) {
        files.push({
          path: request.url().slice(server.url.length + 1),
          type,
        })
      }
    })
    await page.goto(`${server.url}/1`, { waitUntil: 'networkidle' })
    // On a busy machine the network can idle while slide 1's chunk still runs, and a font is asked for only once
    // text in it is laid out: wait for the slide's heading, its fonts, then a quiet spell with no new request.
    await page.locator('.slidev-page-1 h1').waitFor()
    await page.evaluate(() => {
      document.body.getBoundingClientRect()
      return document.fonts.ready
    })
    await untilNoNewRequest(files, 750)
    const slideOne = [...files]
    await page.goto(`${server.url}/1?embedded=true`, { waitUntil: 'networkidle' })
    await page.evaluate(() => document.fonts.ready)
    await page.locator('#slide-content').screenshot({
      path: join(distDir, 'og-image.png'),
    })
    return slideOne
  }
  finally {
    await browser.close()
    await server.close()
  }
}

/** Until `quietMs` pass with no new request (at most 10 s: a page that keeps loading code gets the list so far). */
async function untilNoNewRequest(files: unknown[], quietMs: number): Promise<void> {
  let seen = -1
  await waitFor(() => {
    const quiet = seen === files.length
    seen = files.length
    return quiet
  }, 10_000, quietMs)
}

/** Meta tags for link previews; `siteUrl` is absolute where known, since crawlers need an absolute image URL. */
export function socialMetaTags(siteUrl: string): string {
  const image = `${siteUrl}og-image.png`
  return [
    `<meta property="og:image" content="${image}">`,
    '<meta property="og:image:width" content="1200">',
    '<meta property="og:image:height" content="675">',
    '<meta property="og:type" content="website">',
    '<meta property="og:locale" content="nb_NO">',
    '<meta name="twitter:card" content="summary_large_image">',
    `<meta name="twitter:image" content="${image}">`,
  ].join('\n')
}

/**
 * Preload hints for what slide 1 needs but only finds out about one lazy chunk at a time: on a mobile network each
 * step of that chain costs a round trip.
 */
export function preloadTags(files: SlideOneFile[], base: string, html: string): string {
  return files
    .filter(file => !html.includes(`${base}${file.path}"`))
    .map(file => ({
      script: `<link rel="modulepreload" crossorigin href="${base}${file.path}">`,
      style: `<link rel="preload" as="style" crossorigin href="${base}${file.path}">`,
      font: `<link rel="preload" as="font" type="font/woff2" crossorigin href="${base}${file.path}">`,
    })[file.type])
    .join('\n')
}
