/**
 * CORS for decks hosted on another origin (POLL_ALLOWED_ORIGINS): the listed origins may read the API and send
 * the presenter's actions (Authorization, JSON bodies); any other origin gets no CORS headers at all, so its
 * browser refuses to let the page read the answers.
 */
import type { MiddlewareHandler } from 'hono'
import type { PollAppEnv } from './http.ts'
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response'

const PREFLIGHT_HEADERS = {
  'access-control-allow-methods': 'GET, POST, DELETE',
  'access-control-allow-headers': 'Authorization, Content-Type',
  'access-control-max-age': '600',
}

export function cors(allowedOrigins: readonly string[]): MiddlewareHandler<PollAppEnv> {
  const allowed = new Set(allowedOrigins)
  return async (c, next) => {
    if (allowed.size === 0)
      return next()
    const origin = c.req.header('origin')
    const headers: Record<string, string> = { vary: 'Origin' }
    if (origin && allowed.has(origin))
      headers['access-control-allow-origin'] = origin
    if (c.req.method === 'OPTIONS' && headers['access-control-allow-origin'] && c.req.header('access-control-request-method')) {
      return c.body(null, 204, {
        ...headers,
        ...PREFLIGHT_HEADERS,
      })
    }
    // Event streams write their head straight to Node's response, past Hono: set the headers there too.
    const outgoing = c.env?.outgoing
    if (outgoing && !outgoing.headersSent) {
      for (const [name, value] of Object.entries(headers))
        outgoing.setHeader(name, value)
    }
    await next()
    if (c.res !== RESPONSE_ALREADY_SENT) {
      for (const [name, value] of Object.entries(headers))
        c.res.headers.set(name, value)
    }
  }
}
