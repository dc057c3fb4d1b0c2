/**
 * `fetch` over Node's https module, for talking to the TLS proxy in tests and the benchmark: it trusts a given CA
 * (the proxy's local one; Node's own fetch reads extra CAs only at start) and can send from a chosen loopback
 * address (`127.0.0.N`), to act as another phone. Answers are real `Response`s; bodies stream (event streams work).
 */
import type { IncomingHttpHeaders } from 'node:http'
import { Buffer } from 'node:buffer'
import { Agent, request } from 'node:https'
import { Readable } from 'node:stream'

export interface HttpsFetchOptions {
  ca: string
  localAddress?: string
  /** Connections kept open for reuse; off makes every request a new TLS handshake. */
  keepAlive?: boolean
}

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers()
  for (const [name, value] of Object.entries(raw)) {
    for (const one of Array.isArray(value)
      ? value
      : [value]) {
      if (one !== undefined)
        headers.append(name, one)
    }
  }
  return headers
}

export function httpsFetch(options: HttpsFetchOptions): typeof fetch {
  const agent = new Agent({ ca: options.ca, keepAlive: options.keepAlive ?? true, localAddress: options.localAddress })
  return async (input, init = {}) => {
    const url = new URL(input instanceof Request
      ? input.url
      : String(input))
    const headers = Object.fromEntries(new Headers(init.headers).entries())
    const body = init.body === undefined || init.body === null
      ? undefined
      : Buffer.from(init.body as string)
    if (body)
      headers['content-length'] = String(body.length)
    return new Promise<Response>((resolve, reject) => {
      const outgoing = request(url, {
        method: init.method ?? 'GET',
        headers,
        agent,
        signal: init.signal ?? undefined,
      }, (incoming) => {
        const status = incoming.statusCode ?? 0
        const stream = status === 204 || status === 304 || init.method === 'HEAD'
          ? null
          : Readable.toWeb(incoming) as ReadableStream<Uint8Array>
        if (!stream)
          incoming.resume()
        resolve(new Response(stream, {
          status,
          statusText: incoming.statusMessage,
          headers: toHeaders(incoming.headers),
        }))
      })
      outgoing.once('error', reject)
      outgoing.end(body)
    })
  }
}
