import type { Browser } from 'playwright-chromium'
import type { PollServer } from '../../tools/poll-server-process.ts'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { startPollServer } from '../../tools/poll-server-process.ts'
import { launchBrowser } from './browser.ts'

export interface BuiltDeck {
  server: PollServer
  browser: Browser
  stop: () => Promise<void>
}

/** The built deck as a speaker runs it (`npm start`: deck, voting page and poll API on one port) and a Chromium. */
export async function startBuiltDeck(env: Record<string, string> = {}): Promise<BuiltDeck> {
  const distDir = resolve('dist')
  if (!existsSync(resolve(distDir, 'index.html')))
    throw new Error('dist/ is missing: run `npm run build` before the end-to-end tests.')
  const server = await startPollServer({
    env: { DIST_DIR: distDir, ...env },
  })
  const browser = await launchBrowser()
  return {
    server,
    browser,
    async stop() {
      await browser.close()
      await server.stop()
    },
  }
}

/** Starts the built deck before a test file's tests and stops it after them; fields are set once they start. */
export function useBuiltDeck(): BuiltDeck {
  const deck = {} as BuiltDeck
  beforeAll(async () => {
    Object.assign(deck, await startBuiltDeck())
  })
  afterAll(() => deck.stop?.())
  return deck
}
