/**
 * What every printed file of the deck shares: the built deck served and one Chromium (printWithBuiltDeck), and a
 * page of it opened and waited for until every slide is ready (openPrintedPage).
 */
import type { Browser, BrowserContextOptions, Page } from 'playwright-chromium'
import type { Talk } from './talk.ts'
import process from 'node:process'
import { chromium } from 'playwright-chromium'
import { launchOptions } from '../scripts/browser.ts'
import { serveFetch } from '../scripts/serve-fetch.ts'
import { createStaticHandler } from '../server/static.ts'
import { builtBase, ensureBuilt } from './built-deck.ts'
import { waitUntilPrintable, watchErrors } from './readiness.ts'
import { readTalk } from './talk.ts'

/**
 * Builds dist/ when stale, serves it and starts one Chromium for `work`; a failure is printed for people and sets
 * the exit code. Resolves true when `work` succeeded.
 */
export async function printWithBuiltDeck(
  distDir: string,
  snapshotFile: string,
  work: (browser: Browser, deckUrl: string, talk: Talk) => Promise<void>,
): Promise<boolean> {
  await ensureBuilt(distDir, snapshotFile)
  const talk = await readTalk()
  const server = await serveFetch(createStaticHandler(distDir), {
    base: builtBase(distDir),
  })
  const browser = await chromium.launch(launchOptions())
  try {
    await work(browser, server.url, talk)
    return true
  }
  catch (error) {
    console.error(error instanceof Error
      ? error.message
      : error)
    process.exitCode = 1
    return false
  }
  finally {
    await browser.close()
    await server.close()
  }
}

export interface PrintedPage {
  /** The deck's route: `/print?print=clicks`, `/handout?print`, … */
  path: string
  context: BrowserContextOptions
  /** How the page marks one slide (a print container, a handout page) and its number. */
  slideSelector: string
  numberAttribute: string
}

/**
 * A page of the built deck in a context of its own, once every slide is ready (see readiness.ts); `use` prints or
 * photographs it, and the context closes after.
 */
export async function openPrintedPage<T>(browser: Browser, deckUrl: string, talk: Talk, printed: PrintedPage, use: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ serviceWorkers: 'block', ...printed.context })
  try {
    const page = await context.newPage()
    const errors = watchErrors(page)
    await page.goto(`${deckUrl}${printed.path}`, { waitUntil: 'load' })
    await waitUntilPrintable(page, errors, {
      slideSelector: printed.slideSelector,
      numberAttribute: printed.numberAttribute,
      titles: talk.slides.map(slide => slide.title),
    })
    return await use(page)
  }
  finally {
    await context.close()
  }
}

/** Text for an HTML template (a PDF footer, the contact sheet). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, c => `&#${c.charCodeAt(0)};`)
}
