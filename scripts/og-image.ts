/**
 * The link-preview image (Open Graph / Twitter card): the title slide of the built deck, rendered by Chromium.
 */
import { join } from 'node:path'
import { chromium } from 'playwright-chromium'
import { createStaticHandler } from '../server/static.ts'
import { launchOptions } from './browser.ts'
import { serveFetch } from './serve-fetch.ts'

export async function writeOgImage(distDir: string, base: string): Promise<void> {
  const server = await serveFetch(createStaticHandler(distDir), { base })
  const browser = await chromium.launch(launchOptions())
  try {
    const page = await browser.newPage({
      viewport: { width: 1200, height: 675 },
      colorScheme: 'light',
    })
    await page.goto(`${server.url}/1?embedded=true`, { waitUntil: 'networkidle' })
    await page.evaluate(() => document.fonts.ready)
    await page.locator('#slide-content').screenshot({
      path: join(distDir, 'og-image.png'),
    })
  }
  finally {
    await browser.close()
    await server.close()
  }
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
