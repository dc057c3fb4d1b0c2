/**
 * What a first visit to a page costs, read from the Chrome DevTools Protocol: bytes on the wire and requests until the
 * page is loaded and idle, and first contentful paint on a throttled network. Used by scripts/bench.ts.
 */
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-chromium'

export interface PageRequest {
  url: string
  /** Bytes received for it: compressed body plus response headers (`encodedDataLength`). */
  bytes: number
  /** Of those, the response headers. */
  headerBytes: number
  encoding: string
  /** A stream still open when measuring stopped (Server-Sent Events). */
  open: boolean
}

export interface PageTransfer {
  requests: PageRequest[]
  /** Everything received: bodies as sent (gzip where the server compresses) and headers. */
  bytes: number
  headerBytes: number
  /** Requests to any origin but the page's own. */
  thirdParty: string[]
}

/** A network profile for `Network.emulateNetworkConditions`. */
export interface NetworkProfile {
  name: string
  latency: number
  downloadThroughput: number
  uploadThroughput: number
}

/** Chrome DevTools' «Fast 3G» (Lighthouse's mobile profile; «Slow 4G» in newer DevTools): 1.44 Mbit/s down, 562.5 ms RTT. */
export const FAST_3G: NetworkProfile = {
  name: 'Fast 3G',
  latency: 150 * 3.75,
  downloadThroughput: 1.6 * 1000 * 1000 / 8 * 0.9,
  uploadThroughput: 750 * 1000 / 8 * 0.9,
}

const IDLE_MS = 1000
const MAX_WAIT_MS = 60_000

interface Tracked {
  url: string
  type: string
  bytes: number
  headerBytes: number
  encoding: string
  done: boolean
}

/** Records every request of the page's own target (a service worker's fetches are another target and not seen here). */
function trackRequests(cdp: CDPSession) {
  const requests = new Map<string, Tracked>()
  let lastActivity = performance.now()
  const touch = () => lastActivity = performance.now()

  cdp.on('Network.requestWillBeSent', (event) => {
    touch()
    if (!/^https?:/.test(event.request.url))
      return
    requests.set(event.requestId, {
      url: event.request.url,
      type: event.type ?? 'Other',
      bytes: 0,
      headerBytes: 0,
      encoding: '',
      done: false,
    })
  })
  cdp.on('Network.responseReceived', (event) => {
    touch()
    const request = requests.get(event.requestId)
    if (!request)
      return
    const headers = Object.fromEntries(Object.entries(event.response.headers).map(([key, value]) => [
      key.toLowerCase(),
      value,
    ]))
    request.encoding = headers['content-encoding'] ?? ''
    // Bytes received when the headers were complete: the headers themselves.
    request.headerBytes = event.response.encodedDataLength
    request.bytes = Math.max(request.bytes, request.headerBytes)
  })
  cdp.on('Network.dataReceived', (event) => {
    touch()
    const request = requests.get(event.requestId)
    if (request)
      request.bytes += event.encodedDataLength
  })
  cdp.on('Network.loadingFinished', (event) => {
    touch()
    const request = requests.get(event.requestId)
    if (request) {
      request.bytes = event.encodedDataLength
      request.done = true
    }
  })
  cdp.on('Network.loadingFailed', (event) => {
    touch()
    const request = requests.get(event.requestId)
    if (request)
      request.done = true
  })

  /** Loaded and idle: nothing but open event streams in flight, and no network activity for IDLE_MS. */
  async function idle(): Promise<void> {
    const deadline = performance.now() + MAX_WAIT_MS
    while (performance.now() < deadline) {
      const busy = [
        ...requests.values(),
      ].some(request => !request.done && request.type !== 'EventSource')
      if (!busy && performance.now() - lastActivity >= IDLE_MS)
        return
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    throw new Error(`The page did not become idle within ${MAX_WAIT_MS / 1000} s`)
  }

  return { requests, idle }
}

/** A fresh browser context (empty cache, service workers blocked) with one page and its DevTools session. */
async function coldPage(browser: Browser): Promise<{ context: BrowserContext, page: Page, cdp: CDPSession }> {
  const context = await browser.newContext({
    serviceWorkers: 'block',
    viewport: { width: 1280, height: 720 },
  })
  const page = await context.newPage()
  return { context, page, cdp: await context.newCDPSession(page) }
}

/**
 * A cold first visit (empty cache, service workers blocked, so the offline precache a deck starts after load is not
 * counted) asking for gzip only, measured until the page is loaded and idle.
 */
export async function measureTransfer(browser: Browser, url: string): Promise<PageTransfer> {
  const { context, page, cdp } = await coldPage(browser)
  try {
    const tracker = trackRequests(cdp)
    await cdp.send('Network.enable')
    await cdp.send('Network.setExtraHTTPHeaders', {
      headers: { 'Accept-Encoding': 'gzip' },
    })
    await page.goto(url, { waitUntil: 'load' })
    await tracker.idle()

    const origin = new URL(url).origin
    const requests = [
      ...tracker.requests.values(),
    ].map(({ url, bytes, headerBytes, encoding, done }) => ({
      url,
      bytes,
      headerBytes,
      encoding,
      open: !done,
    }))
    return {
      requests,
      bytes: requests.reduce((sum, request) => sum + request.bytes, 0),
      headerBytes: requests.reduce((sum, request) => sum + request.headerBytes, 0),
      thirdParty: requests.filter(request => new URL(request.url).origin !== origin).map(request => request.url),
    }
  }
  finally {
    await context.close()
  }
}

export interface PaintTimes {
  /** First contentful paint: the first text or image on screen. */
  firstPaint: number
  /** When `readySelector` first held text: the page's real content, not a placeholder. */
  ready: number
}

/**
 * Paint times in ms of a cold visit on `profile`, with the CPU slowed down `cpuSlowdown` times: the median of
 * `runs` visits, each in a fresh context.
 */
export async function measurePaint(browser: Browser, url: string, profile: NetworkProfile, cpuSlowdown: number, readySelector: string, runs = 3): Promise<PaintTimes> {
  const visits: PaintTimes[] = []
  for (let run = 0; run < runs; run++)
    visits.push(await measurePaintOnce(browser, url, profile, cpuSlowdown, readySelector))
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!
  return {
    firstPaint: median(visits.map(visit => visit.firstPaint)),
    ready: median(visits.map(visit => visit.ready)),
  }
}

async function measurePaintOnce(browser: Browser, url: string, profile: NetworkProfile, cpuSlowdown: number, readySelector: string): Promise<PaintTimes> {
  const { context, page, cdp } = await coldPage(browser)
  try {
    // Notes the moment the real content appears, from inside the page, so polling adds no delay to it.
    await page.addInitScript((selector) => {
      const observer = new MutationObserver(() => {
        if ((document.querySelector(selector) as HTMLElement | null)?.innerText.trim()) {
          (window as unknown as { contentReady: number }).contentReady = performance.now()
          observer.disconnect()
        }
      })
      observer.observe(document, { childList: true, subtree: true, characterData: true })
    }, readySelector)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: profile.latency,
      downloadThroughput: profile.downloadThroughput,
      uploadThroughput: profile.uploadThroughput,
    })
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown })
    await page.goto(url, { waitUntil: 'commit', timeout: MAX_WAIT_MS })
    const times = await page.waitForFunction(() => {
      const paint = performance.getEntriesByName('first-contentful-paint')[0]?.startTime
      const ready = (window as unknown as { contentReady?: number }).contentReady
      return paint !== undefined && ready !== undefined && { firstPaint: paint, ready }
    }, undefined, { timeout: MAX_WAIT_MS, polling: 100 })
    const { firstPaint, ready } = await times.jsonValue() as PaintTimes
    return {
      firstPaint: Math.round(firstPaint),
      ready: Math.round(ready),
    }
  }
  finally {
    await context.close()
  }
}

/**
 * Every request the page and its service worker make on a normal first visit (service worker allowed), for the
 * third-party count: the precache must stay on the deck's own origin too.
 */
export async function requestsWithServiceWorker(browser: Browser, url: string, settleMs = 5000): Promise<string[]> {
  const context = await browser.newContext({ serviceWorkers: 'allow' })
  try {
    const urls: string[] = []
    context.on('request', request => void urls.push(request.url()))
    const page = await context.newPage()
    await page.goto(url, { waitUntil: 'networkidle' })
    await page.waitForTimeout(settleMs)
    return urls.filter(requestUrl => /^(?:https?|wss?):/.test(requestUrl))
  }
  finally {
    await context.close()
  }
}
