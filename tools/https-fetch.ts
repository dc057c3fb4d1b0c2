/**
 * `fetch` over Node's http and https modules, for tests and the benchmark: it trusts a given CA (the TLS proxy's
 * local one; Node's own fetch reads extra CAs only at start) and can send from a chosen loopback address
 * (`127.0.0.N`), to act as another phone. Answers are real `Response`s; bodies stream (event streams work).
 */
import type { IncomingHttpHeaders } from 'node:http'
import { Buffer } from 'node:buffer'
import * as http from 'node:http'
import * as https from 'node:https'
import { Readable } from 'node:stream'

export interface HttpsFetchOptions {
  /** PEM certificates to trust for https:// (besides none: only these). */
  ca?: string
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
  const agentOptions = { keepAlive: options.keepAlive ?? true, localAddress: options.localAddress }
  const agents = {
    'http:': new http.Agent(agentOptions),
    'https:': new https.Agent({ ...agentOptions, ca: options.ca }),
  }
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
    const secure = url.protocol === 'https:'
    const request = secure
      ? https.request
      : http.request
    const agent = agents[secure
      ? 'https:'
      : 'http:']
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
