/**
 * The one place the API learns who is calling: the per-address rate limits ask here.
 * The address is only ever a key in an in-memory counter; it is never stored or logged.
 */
import type { Context } from 'hono'
import type { PollAppEnv } from './http.ts'
import { isIP } from 'node:net'
import { plainAddress } from './trusted-proxies.ts'

function socketAddress(c: Context<PollAppEnv>): string {
  const address = c.env?.incoming?.socket.remoteAddress
  return address
    ? plainAddress(address)
    : 'unknown'
}

/**
 * The socket's address, or, through trusted proxies, the address the nearest untrusted hop gave: X-Forwarded-For
 * is read from the right (each trusted proxy vouches for the hop before it), so a client cannot forge its way
 * past the proxy's own entry.
 */
export function clientAddress(c: Context<PollAppEnv>): string {
  let address = socketAddress(c)
  // A client that is not a trusted proxy is taken at its socket's word: its headers are not even read.
  if (!c.var.trustedProxies.trusts(address))
    return address
  const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map(hop => plainAddress(hop.trim()))
  do {
    const hop = hops.pop()
    if (hop === undefined || !isIP(hop))
      break
    address = hop
  } while (c.var.trustedProxies.trusts(address))
  return address
}
