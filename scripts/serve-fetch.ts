import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'

type Handler = (request: Request) => Promise<Response>

/** Serves `handler` under the path prefix `base` (as a static host would serve a sub-path build). */
function underBase(base: string, handler: Handler): Handler {
  const prefix = base.replace(/\/$/, '')
  return async (request) => {
    const url = new URL(request.url)
    if (prefix && url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`))
      return new Response('Ikke funnet.', { status: 404 })
    url.pathname = url.pathname.slice(prefix.length) || '/'
    return handler(new Request(url, request))
  }
}

/** A fetch-style handler on a loopback port (0: a free one), for scripts that load the built deck. */
export function serveFetch(handler: Handler, options: { base?: string, port?: number } = {}): Promise<{ url: string, close: () => Promise<void> }> {
  const base = options.base ?? '/'
  return new Promise((resolve) => {
    const server = serve({
      fetch: underBase(base, handler),
      port: options.port ?? 0,
      hostname: '127.0.0.1',
    }, (info: AddressInfo) => {
      resolve({
        url: `http://127.0.0.1:${info.port}${base.replace(/\/$/, '')}`,
        close: () => new Promise(done => server.close(() => done())),
      })
    })
  })
}
