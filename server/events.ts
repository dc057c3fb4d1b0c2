import type { ServerResponse } from 'node:http'
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response'
import { SECURITY_HEADERS } from './security-headers.ts'

/**
 * Server-Sent Events: one hub holds every listener. A change only marks its channel dirty; at most every
 * `flushIntervalMs` the channel renders its event once (one status query, one JSON.stringify, one encode)
 * and writes the same bytes to every listener, so 2,000 screens cost one query, not 2,000.
 */

/** One open event stream, whatever the transport. */
export interface SseClient {
  /** Queues bytes; false when the client fell too far behind and was dropped. */
  send: (chunk: Uint8Array) => boolean
  /** Ends the stream. */
  close: () => void
}

export interface EventHubOptions {
  /** The `tally` event's data for a poll. */
  pollStatus: (pollId: string) => Promise<unknown>
  /** The id of the poll the voting page should show, or null. */
  currentPoll: () => Promise<string | null>
  flushIntervalMs?: number
  heartbeatMs?: number
  onError?: (error: unknown) => void
}

export interface EventHub {
  /** Sends the poll's status at once and on every change; returns the unsubscribe function. */
  subscribePoll: (pollId: string, client: SseClient) => () => void
  /** Sends the current poll id at once and whenever it may have changed. */
  subscribeCurrent: (client: SseClient) => () => void
  /** Votes changed. */
  pollChanged: (pollId: string) => void
  /** State changed: the poll's status and possibly the current poll. */
  stateChanged: (pollId: string) => void
  listenerCount: () => number
  /**
   * Ends every stream, first telling each listener to reconnect after a random short while: behind a balancer
   * they land on another server, and not all at the same instant.
   */
  close: () => void
}

interface Rendered {
  version: number
  bytes: Uint8Array
}

interface Channel {
  render: () => Promise<string>
  clients: Set<SseClient>
  /** Bumped by every change; a rendering is current only for the version it started at. */
  version: number
  cache?: Rendered
  pending?: { version: number, promise: Promise<Rendered> }
  timer?: ReturnType<typeof setTimeout>
  flushing: boolean
  lastFlushAt: number
}

const encoder = new TextEncoder()
/** Listeners of a server that stops reconnect within 0.25 s + this, spread out. */
const RECONNECT_SPREAD_MS = 1500

function reconnectAfter(spreadMs: number): Uint8Array {
  return encoder.encode(`retry: ${250 + Math.floor(Math.random() * spreadMs)}\n\n`)
}

export function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
}

export function createEventHub(options: EventHubOptions): EventHub {
  const flushIntervalMs = options.flushIntervalMs ?? 100
  const onError = options.onError ?? (error => console.error('SSE:', error))
  const polls = new Map<string, Channel>()
  const current = createChannel(async () => sseEvent('current', { id: await options.currentPoll() }))
  let closed = false

  const heartbeat = encoder.encode(': ping\n\n')
  const heartbeatTimer = setInterval(() => {
    for (const channel of [
      current,
      ...polls.values(),
    ])
      broadcast(channel, heartbeat)
  }, options.heartbeatMs ?? 15_000)
  heartbeatTimer.unref()

  function createChannel(render: () => Promise<string>): Channel {
    return {
      render,
      clients: new Set(),
      version: 0,
      flushing: false,
      lastFlushAt: 0,
    }
  }

  function pollChannel(pollId: string): Channel {
    let channel = polls.get(pollId)
    if (!channel) {
      channel = createChannel(async () => sseEvent('tally', await options.pollStatus(pollId)))
      polls.set(pollId, channel)
    }
    return channel
  }

  /** The channel's event for its current version, rendered once however many ask at the same time. */
  function latest(channel: Channel): Promise<Rendered> {
    const version = channel.version
    if (channel.cache?.version === version)
      return Promise.resolve(channel.cache)
    if (channel.pending?.version === version)
      return channel.pending.promise
    const promise = channel.render().then((text) => {
      const rendered = {
        version,
        bytes: encoder.encode(text),
      }
      if ((channel.cache?.version ?? -1) < version)
        channel.cache = rendered
      return rendered
    })
    channel.pending = { version, promise }
    const forget = () => {
      if (channel.pending?.promise === promise)
        channel.pending = undefined
    }
    promise.then(forget, forget)
    return promise
  }

  function broadcast(channel: Channel, bytes: Uint8Array): void {
    for (const client of channel.clients) {
      if (!client.send(bytes)) {
        channel.clients.delete(client)
        client.close()
      }
    }
  }

  function schedule(channel: Channel): void {
    if (closed || channel.timer || channel.flushing || channel.clients.size === 0)
      return
    const wait = Math.max(0, channel.lastFlushAt + flushIntervalMs - Date.now())
    channel.timer = setTimeout(() => void flush(channel), wait)
  }

  async function flush(channel: Channel): Promise<void> {
    channel.timer = undefined
    channel.flushing = true
    channel.lastFlushAt = Date.now()
    try {
      const rendered = await latest(channel)
      if (!closed)
        broadcast(channel, rendered.bytes)
    }
    catch (error) {
      onError(error)
    }
    finally {
      channel.flushing = false
      if (channel.cache?.version !== channel.version)
        schedule(channel)
    }
  }

  function changed(channel: Channel): void {
    channel.version++
    schedule(channel)
  }

  function subscribe(channel: Channel, client: SseClient): () => void {
    let subscribed = true
    void (async () => {
      try {
        const rendered = await latest(channel)
        if (!subscribed)
          return
        if (closed)
          return client.close()
        if (!client.send(rendered.bytes))
          return client.close()
        channel.clients.add(client)
        // A change during the first rendering has been flushed to the others already: catch this one up.
        if (rendered.version !== channel.version)
          schedule(channel)
      }
      catch (error) {
        onError(error)
        client.close()
      }
    })()
    return () => {
      subscribed = false
      channel.clients.delete(client)
    }
  }

  return {
    subscribePoll: (pollId, client) => subscribe(pollChannel(pollId), client),
    subscribeCurrent: client => subscribe(current, client),
    pollChanged: pollId => changed(pollChannel(pollId)),
    stateChanged(pollId) {
      changed(pollChannel(pollId))
      changed(current)
    },
    listenerCount: () => [
      current,
      ...polls.values(),
    ].reduce((sum, channel) => sum + channel.clients.size, 0),
    close() {
      closed = true
      clearInterval(heartbeatTimer)
      for (const channel of [
        current,
        ...polls.values(),
      ]) {
        clearTimeout(channel.timer)
        for (const client of channel.clients) {
          client.send(reconnectAfter(RECONNECT_SPREAD_MS))
          client.close()
        }
        channel.clients.clear()
      }
    },
  }
}

const RETRY = encoder.encode('retry: 1000\n\n')
/** A listener this many bytes behind is cut off rather than buffered without end. */
const MAX_BACKLOG_BYTES = 1024 * 1024
export const SSE_HEADERS = {
  ...SECURITY_HEADERS,
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
}

/** Where a stream's bytes go: Node's response or a web stream. */
interface Sink {
  /** Bytes written but not yet taken by the listener. */
  backlog: () => number
  write: (chunk: Uint8Array) => void
  /** Cuts off a listener that fell too far behind. */
  drop: () => void
  end: () => void
}

/** A client over a sink; `gone` when the listener left by itself (nothing more may be written). */
function sinkClient(sink: Sink): SseClient & { gone: () => void } {
  let open = true
  return {
    send(chunk) {
      if (!open)
        return false
      if (sink.backlog() > MAX_BACKLOG_BYTES) {
        open = false
        sink.drop()
        return false
      }
      sink.write(chunk)
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
 * Streams events straight into Node's response: with 2,000 listeners at 10 events/s, skipping the web-stream
 * layer per write is a measurable share of the server's CPU. Returns the marker telling @hono/node-server
 * that the response is already being sent.
 */
function streamToNode(outgoing: ServerResponse, subscribe: (client: SseClient) => () => void): Response {
  outgoing.writeHead(200, SSE_HEADERS)
  outgoing.write(RETRY)
  const client = sinkClient({
    backlog: () => outgoing.writableLength,
    write: chunk => outgoing.write(chunk),
    drop: () => outgoing.destroy(),
    end: () => outgoing.end(),
  })
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
      const client = sinkClient({
        backlog: () => -(controller.desiredSize ?? 0),
        write: chunk => controller.enqueue(chunk),
        drop: () => controller.error(new Error('SSE listener too slow')),
        end: () => controller.close(),
      })
      controller.enqueue(RETRY)
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
