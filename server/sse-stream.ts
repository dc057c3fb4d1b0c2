import type { Socket } from 'node:net'
import { Buffer } from 'node:buffer'
import { ServerResponse } from 'node:http'
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response'
import { SECURITY_HEADERS } from './security-headers.ts'

/**
 * One Server-Sent Events response and how bytes reach it. The hub (events.ts) encodes each event once into an
 * `SsePayload`; a Node response takes it straight onto its socket in one write.
 */

/**
 * An event's bytes, encoded once for every listener: as they are, and framed as one HTTP/1.1 chunk. Node Buffers:
 * a socket given a plain Uint8Array wraps it in a new Buffer on every write, thousands of times per event.
 */
export interface SsePayload {
  bytes: Buffer
  chunk: Buffer
}

/** One open event stream, whatever the transport. */
export interface SseClient {
  /** Queues the payload; false when the client fell too far behind and was dropped. */
  send: (payload: SsePayload) => boolean
  /** Ends the stream. */
  close: () => void
}

const CRLF = Buffer.from('\r\n')

export function ssePayload(text: string): SsePayload {
  const bytes = Buffer.from(text)
  return {
    bytes,
    chunk: Buffer.concat([
      Buffer.from(`${bytes.length.toString(16)}\r\n`),
      bytes,
      CRLF,
    ]),
  }
}

/** One event; `data` is serialised as JSON, unless it is JSON already (`rendered`). */
export function sseEvent(event: string, data: unknown, { rendered = false } = {}): string {
  return `event: ${event}\ndata: ${rendered
    ? data as string
    : JSON.stringify(data)}\n\n`
}

const RETRY = ssePayload('retry: 1000\n\n')
/** A listener this many bytes behind is cut off rather than buffered without end. */
const MAX_BACKLOG_BYTES = 1024 * 1024
export const SSE_HEADERS = {
  ...SECURITY_HEADERS,
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
}

/** Where a stream's bytes go: a socket, Node's response or a web stream. */
interface Sink {
  /** Bytes written but not yet taken by the listener. */
  backlog: () => number
  write: (payload: SsePayload) => void
  /** Cuts off a listener that fell too far behind. */
  drop: () => void
  end: () => void
}

/** A client over a sink; `gone` when the listener left by itself (nothing more may be written). */
function sinkClient(sink: Sink): SseClient & { gone: () => void } {
  let open = true
  return {
    send(payload) {
      if (!open)
        return false
      if (sink.backlog() > MAX_BACKLOG_BYTES) {
        open = false
        sink.drop()
        return false
      }
      sink.write(payload)
      return true
    },
    close() {
      if (open) {
        open = false
        sink.end()
      }
    },
    gone() {
      open = false
    },
  }
}

/**
 * Where a Node response's events are written. `ServerResponse.write` costs four socket writes, a cork and a
 * tick per call (chunk size, CRLF, data, CRLF); with thousands of listeners that is most of the fan-out. Once
 * the headers are on the socket this response owns, the payload's ready-made chunk goes there in one write.
 * A response still queued behind another on its connection (pipelining) has no socket yet and goes the slow way.
 */
function nodeSink(outgoing: ServerResponse): Sink {
  // Only an HTTP/1 response owns its socket; an HTTP/2 stream's `socket` is a proxy that refuses writes.
  const socket: Socket | null = outgoing instanceof ServerResponse
    ? outgoing.socket
    : null
  // Node frames HTTP/1.1 bodies of unknown length as chunks, and HTTP/1.0 ones not at all (they end with the connection).
  const chunked = (outgoing as ServerResponse & { chunkedEncoding?: boolean }).chunkedEncoding === true
  const end = () => outgoing.end()
  const drop = () => outgoing.destroy()
  if (!socket) {
    return {
      backlog: () => outgoing.writableLength,
      write: payload => outgoing.write(payload.bytes),
      drop,
      end,
    }
  }
  return {
    // A socket the listener already closed counts as hopelessly behind: the hub drops it instead of writing.
    backlog: () => socket.destroyed
      ? Number.POSITIVE_INFINITY
      : socket.writableLength,
    write: payload => socket.write(chunked
      ? payload.chunk
      : payload.bytes),
    drop,
    end,
  }
}

/** Streams events straight into Node's response; returns the marker telling @hono/node-server it is already being sent. */
function streamToNode(outgoing: ServerResponse, subscribe: (client: SseClient) => () => void): Response {
  outgoing.writeHead(200, SSE_HEADERS)
  outgoing.write(RETRY.bytes) // sends the headers with it
  const client = sinkClient(nodeSink(outgoing))
  const unsubscribe = subscribe(client)
  outgoing.once('close', () => {
    client.gone()
    unsubscribe()
  })
  return RESPONSE_ALREADY_SENT
}

/** The same stream as a web `Response`, for runtimes without a Node response object (and `app.request()`). */
function streamAsWebResponse(subscribe: (client: SseClient) => () => void): Response {
  let unsubscribe = () => {}
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // Ending the stream from here does not call `cancel`: let go of the listener (and its stream slot) as well.
      const client = sinkClient({
        backlog: () => -(controller.desiredSize ?? 0),
        write: payload => controller.enqueue(payload.bytes),
        drop: () => {
          unsubscribe()
          controller.error(new Error('SSE listener too slow'))
        },
        end: () => {
          unsubscribe()
          controller.close()
        },
      })
      controller.enqueue(RETRY.bytes)
      unsubscribe = subscribe(client)
    },
    cancel() {
      unsubscribe()
    },
  }, new ByteLengthQueuingStrategy({ highWaterMark: 0 }))
  return new Response(body, { headers: SSE_HEADERS })
}

/** A `text/event-stream` response whose client is handed to `subscribe` (which returns the unsubscribe). */
export function sseResponse(subscribe: (client: SseClient) => () => void, outgoing?: ServerResponse): Response {
  return outgoing
    ? streamToNode(outgoing, subscribe)
    : streamAsWebResponse(subscribe)
}
