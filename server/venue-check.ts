/**
 * The venue check: asks every address phones would use whether the poll server answers there (a real request
 * from this machine to its /healthz), asks the server which address its QR code shows, and advises.
 */
import type { NetworkInterfaceInfo } from 'node:os'
import type { VenueSettings } from './venue-addresses.ts'
import type { CheckedAddress } from './venue-advice.ts'
import { networkInterfaces } from 'node:os'
import { localOrigin, venueAddresses } from './venue-addresses.ts'
import { venueAdvice } from './venue-advice.ts'

export interface VenueReport {
  addresses: CheckedAddress[]
  /** The voting page's address the slides' QR code shows (`GET /api/join`), if the server said. */
  joinUrl: string | undefined
  advice: string[]
}

export interface VenueCheckOptions {
  interfaces?: NodeJS.Dict<NetworkInterfaceInfo[]>
  /** How long one address may take to answer. */
  timeoutMs?: number
}

async function getJson(url: string, timeoutMs: number): Promise<unknown> {
  try {
    const response = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    })
    return response.ok && (response.headers.get('content-type') ?? '').includes('application/json')
      ? await response.json()
      : undefined
  }
  catch {
    return undefined
  }
}

/** True when the poll server's own health answer comes back from `origin`, not just any web server. */
export async function pollServerAnswers(origin: string, timeoutMs = 2000): Promise<boolean> {
  const body = await getJson(`${origin}/healthz`, timeoutMs) as { status?: unknown } | undefined
  return body?.status === 'ok'
}

export async function checkVenue(settings: VenueSettings, options: VenueCheckOptions = {}): Promise<VenueReport> {
  const timeoutMs = options.timeoutMs ?? 2000
  const addresses = await Promise.all(venueAddresses(settings, options.interfaces ?? networkInterfaces()).map(async address => ({
    ...address,
    answers: address.listening && await pollServerAnswers(new URL(address.url).origin, timeoutMs),
  })))
  const join = await getJson(`${settings.pollServer ?? localOrigin(settings.host, settings.port)}/api/join`, timeoutMs) as { url?: unknown } | undefined
  return {
    addresses,
    joinUrl: typeof join?.url === 'string'
      ? join.url
      : undefined,
    advice: venueAdvice(addresses, settings.host),
  }
}
