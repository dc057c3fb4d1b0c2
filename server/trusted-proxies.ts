/**
 * TRUST_PROXY: the proxies (addresses or CIDRs) whose X-Forwarded-For describes the client.
 * Anyone else could write those headers themselves, so without a match only the socket's address counts.
 */
import { BlockList, isIP } from 'node:net'

export interface TrustedProxies {
  /** Whether a connection from this address comes from a proxy we believe. */
  trusts: (address: string) => boolean
}

/** `::ffff:192.0.2.1` (an IPv4 client on a dual-stack socket) is `192.0.2.1`. */
export function plainAddress(address: string): string {
  const mapped = address.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i)
  return mapped?.[1] ?? address
}

export function parseTrustedProxies(entries: readonly string[]): TrustedProxies {
  // Asked on every request: without proxies there is nothing to look up (a BlockList check allocates).
  if (entries.length === 0) {
    return {
      trusts: () => false,
    }
  }
  const list = new BlockList()
  for (const entry of entries) {
    const [address = '', prefix, extra] = entry.split('/')
    const family = isIP(address)
    const bits = prefix === undefined
      ? undefined
      : Number(prefix)
    const maxBits = family === 6
      ? 128
      : 32
    if (!family || extra !== undefined || (bits !== undefined && !(Number.isInteger(bits) && bits >= 0 && bits <= maxBits)))
      throw new Error(`TRUST_PROXY takes addresses or CIDRs such as 10.0.0.0/8 or 127.0.0.1, got «${entry}».`)
    const type = family === 6
      ? 'ipv6'
      : 'ipv4'
    if (bits === undefined)
      list.addAddress(address, type)
    else
      list.addSubnet(address, bits, type)
  }
  return {
    trusts(address) {
      const plain = plainAddress(address)
      const family = isIP(plain)
      return family !== 0 && list.check(plain, family === 6
        ? 'ipv6'
        : 'ipv4')
    },
  }
}
