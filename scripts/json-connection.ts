import type { Socket } from 'node:net'
import { Buffer } from 'node:buffer'
import { connect } from 'node:net'
import { parseResponseHead } from '../tools/http-head.ts'

/**
 * One keep-alive HTTP/1.1 connection for a benchmark's voting client, one request at a time, read without Node's HTTP
 * client: with its per-request parser, streams and agent, 50 voting clients used 18 % of a core in a storm, on these
 * connections 5 % at the same vote rate, CPU a 2-core machine gives back to the server it measures
 * (tools/sse-socket.ts does the same for streams).
 */
export interface JsonConnection {
  /** POSTs `body` as JSON; resolves with the response's status once the whole response has arrived. */
  post: (path: string, body: unknown) => Promise<number>
  /** GETs `path`, the same way. */
  get: (path: string) => Promise<number>
  close: () => void
}

interface Waiting {
  resolve: (status: number) => void
  reject: (error: Error) => void
}

/** The length of a complete response at the start of `bytes`, and its status; undefined while it is incomplete. */
export function completeResponse(bytes: Buffer): { length: number, status: number } | undefined {
  const headEnd = bytes.indexOf('\r\n\r\n')
  if (headEnd === -1)
    return undefined
  const { status, chunked, contentLength } = parseResponseHead(bytes.toString('latin1', 0, headEnd))
  const bodyStart = headEnd + 4
  if (contentLength !== undefined) {
    const end = bodyStart + contentLength
    return end <= bytes.length
      ? { length: end, status }
      : undefined
  }
  if (chunked) {
    const last = bytes.indexOf('\r\n0\r\n\r\n', bodyStart - 2)
    return last === -1
      ? undefined
      : { length: last + 7, status }
  }
  // Neither: the body has no length and ends with the connection; only a bodiless answer can be complete here.
  return status === 204 || status === 304
    ? { length: bodyStart, status }
    : undefined
}

export function openJsonConnection(url: string): JsonConnection {
  const { hostname, port, host } = new URL(url)
  let socket: Socket | undefined
  let received: Buffer = Buffer.alloc(0)
  let waiting: Waiting | undefined

  function fail(error: Error): void {
    const call = waiting
    waiting = undefined
    socket = undefined
    call?.reject(error)
  }

  function open(): Socket {
    const opened = connect({
      host: hostname,
      port: Number(port || 80),
      noDelay: true,
    })
    received = Buffer.alloc(0)
    opened.on('data', (bytes: Buffer) => {
      received = received.length > 0
        ? Buffer.concat([received, bytes])
        : bytes
      let response: ReturnType<typeof completeResponse>
      try {
        response = completeResponse(received)
      }
      catch (error) {
        opened.destroy()
        fail(error as Error)
        return
      }
      if (!response)
        return
      received = received.subarray(response.length)
      const call = waiting
      waiting = undefined
      call?.resolve(response.status)
    })
    opened.on('error', (error: NodeJS.ErrnoException) => fail(Object.assign(new Error(error.message), { code: error.code })))
    opened.on('close', () => {
      if (socket === opened)
        fail(Object.assign(new Error('The server closed the connection.'), { code: 'ECONNRESET' }))
    })
    return opened
  }

  function send(head: string, payload?: Buffer): Promise<number> {
    if (waiting)
      return Promise.reject(new Error('One request at a time on a connection.'))
    if (!socket || socket.destroyed)
      socket = open()
    return new Promise((resolve, reject) => {
      waiting = { resolve, reject }
      const bytes = Buffer.from(`${head}Host: ${host}\r\n\r\n`, 'latin1')
      socket!.write(payload
        ? Buffer.concat([bytes, payload])
        : bytes)
    })
  }

  return {
    post(path, body) {
      const payload = Buffer.from(JSON.stringify(body))
      return send(`POST ${path} HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: ${payload.length}\r\n`, payload)
    },
    get: path => send(`GET ${path} HTTP/1.1\r\n`),
    close() {
      const closing = socket
      socket = undefined
      closing?.destroy()
    },
  }
}
