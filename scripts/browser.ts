/**
 * The one place that decides which Chromium the project drives (export, end-to-end tests, benchmarks).
 * Playwright's own browser download is skipped (package.json's allowScripts, and .npmrc for an npm without it): it
 * cannot be fetched offline, so we use an installed one.
 */
import { existsSync } from 'node:fs'
import process from 'node:process'

const knownPaths = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
]

export function resolveChromium(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.CHROMIUM_PATH
  if (fromEnv) {
    if (!existsSync(fromEnv))
      throw new Error(`CHROMIUM_PATH points to ${fromEnv}, which does not exist.`)
    return fromEnv
  }
  const found = knownPaths.find(path => existsSync(path))
  if (!found)
    throw new Error(`No Chromium found. Install one (Debian: apt-get install chromium) or set CHROMIUM_PATH. Looked in: ${knownPaths.join(', ')}`)
  return found
}

/**
 * Flags for a quiet, offline-safe headless run. Background networking and component updates would
 * otherwise call Google's servers at start; the sandbox cannot start as root (CI containers).
 */
export function chromiumArgs(): string[] {
  const args = [
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ]
  if (process.getuid?.() === 0)
    args.push('--no-sandbox')
  return args
}

export function launchOptions() {
  return {
    executablePath: resolveChromium(),
    args: chromiumArgs(),
    headless: true,
  }
}
