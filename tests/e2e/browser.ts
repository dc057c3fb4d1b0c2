import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-chromium'
import { chromium } from 'playwright-chromium'
import { launchOptions } from '../../scripts/browser.ts'

export function launchBrowser(): Promise<Browser> {
  return chromium.launch(launchOptions())
}

/**
 * A browser context that records every request leaving the test server's origin: the deck must
 * present with no network and leak nothing to third parties.
 */
export async function isolatedContext(browser: Browser, origin: string, options: BrowserContextOptions = {}) {
  // The deck's service worker precaches every slide after load; only the offline test wants that traffic.
  const context: BrowserContext = await browser.newContext({ serviceWorkers: 'block', ...options })
  const foreignRequests: string[] = []
  context.on('request', (request) => {
    const url = request.url()
    if (/^(?:https?|wss?):/.test(url) && !url.startsWith(origin))
      foreignRequests.push(url)
  })
  return { context, foreignRequests }
}
