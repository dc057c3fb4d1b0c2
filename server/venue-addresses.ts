/**
 * The addresses phones in the room would open to vote, for the venue check: a hosted poll server (POLL_SERVER),
 * else PUBLIC_URL, else this machine's network addresses on PORT. Each says how far it reaches.
 */
import type { NetworkInterfaceInfo } from 'node:os'
import { isIP } from 'node:net'

/** How far an address reaches: this machine only, a link without DHCP, one local network, or the internet. */
export type AddressScope = 'loopback' | 'link-local' | 'private' | 'public'

/** Why phones would use the address. */
export type AddressSource = 'poll-server' | 'public-url' | 'network'

export interface VenueAddress {
  /** The voting page at this address, e.g. http://192.168.1.20:3030/v */
  url: string
  scope: AddressScope
  source: AddressSource
  /** False when the server does not listen there (HOST is another address): no request can answer. */
  listening: boolean
}

export interface VenueSettings {
  /** HOST the server listens on. */
  host: string
  port: number
  publicUrl?: string
  /** POLL_SERVER the deck was built with. */
  pollServer?: string
}

type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>

const WILDCARDS = new Set(['0.0.0.0', '::'])

function inRange(octets: number[], first: number, secondFrom = 0, secondTo = 255): boolean {
  return octets[0] === first && octets[1]! >= secondFrom && octets[1]! <= secondTo
}

function ipv4Scope(address: string): AddressScope {
  const octets = address.split('.').map(Number)
  if (octets[0] === 127)
    return 'loopback'
  if (inRange(octets, 169, 254, 254))
    return 'link-local'
  // 100.64/10 is carrier-grade NAT (and Tailscale): phones outside that network cannot reach it either.
  if (octets[0] === 10 || inRange(octets, 172, 16, 31) || inRange(octets, 192, 168, 168) || inRange(octets, 100, 64, 127))
    return 'private'
  return 'public'
}

function ipv6Scope(address: string): AddressScope {
  const lower = address.toLowerCase()
  if (lower === '::1')
    return 'loopback'
  if (/^fe[89ab]/.test(lower))
    return 'link-local'
  if (/^f[cd]/.test(lower))
    return 'private'
  const mapped = lower.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/)?.[1]
  return mapped
    ? ipv4Scope(mapped)
    : 'public'
}

/**
 * The scope of a host name or address as a URL carries it. Names are not looked up: `localhost` is this machine,
 * `.local` (mDNS), `.lan`, `.internal` and `.home.arpa` stay in one network, any other name counts as public.
 */
export function addressScope(host: string): AddressScope {
  const bare = host.replace(/^\[|\]$/g, '')
  const version = isIP(bare)
  if (version === 4)
    return ipv4Scope(bare)
  if (version === 6)
    return ipv6Scope(bare)
  const name = bare.toLowerCase().replace(/\.$/, '')
  if (name === 'localhost' || name.endsWith('.localhost'))
    return 'loopback'
  if (/\.(?:local|lan|internal|home\.arpa)$/.test(name) || !name.includes('.'))
    return 'private'
  return 'public'
}

/** `http://host:port` with an IPv6 address in brackets. */
export function httpOrigin(host: string, port: number): string {
  return `http://${isIP(host) === 6
    ? `[${host}]`
    : host}:${port}`
}

/** How this machine reaches the server itself: a wildcard HOST is asked on loopback. */
export function localOrigin(host: string, port: number): string {
  return httpOrigin(WILDCARDS.has(host)
    ? '127.0.0.1'
    : host, port)
}

function fromUrl(base: string, source: AddressSource): VenueAddress {
  const url = new URL(base)
  return {
    url: `${url.origin}/v`,
    scope: addressScope(url.hostname),
    source,
    listening: true,
  }
}

/** The machine's IPv4 addresses on its networks (not loopback), as phones on those networks would use them. */
function networkAddresses(interfaces: Interfaces): string[] {
  return Object.values(interfaces)
    .flatMap(addresses => addresses ?? [])
    .filter(address => address.family === 'IPv4' && !address.internal)
    .map(address => address.address)
}

export function venueAddresses(settings: VenueSettings, interfaces: Interfaces): VenueAddress[] {
  if (settings.pollServer) {
    return [
      fromUrl(settings.pollServer, 'poll-server'),
    ]
  }
  if (settings.publicUrl) {
    return [
      fromUrl(settings.publicUrl, 'public-url'),
    ]
  }
  const onNetwork = (address: string, listening: boolean): VenueAddress => ({
    url: `${httpOrigin(address, settings.port)}/v`,
    scope: addressScope(address),
    source: 'network',
    listening,
  })
  const everywhere = WILDCARDS.has(settings.host)
  const found = networkAddresses(interfaces)
  const listed = found.map(address => onNetwork(address, everywhere || address === settings.host))
  if (!everywhere && !found.includes(settings.host))
    listed.unshift(onNetwork(settings.host, true))
  return listed.length > 0
    ? listed
    : [
        onNetwork('127.0.0.1', true),
      ]
}
