import type { HttpBindings } from '@hono/node-server'

/**
 * The address a request came from, as the per-address limits key it: the socket's peer. The one place that
 * decides it, so that trusting a proxy's forwarded address is a change here only. Never stored or logged.
 */
export function clientAddress(c: { env?: Partial<HttpBindings> }): string {
  return c.env?.incoming?.socket.remoteAddress ?? 'unknown'
}
