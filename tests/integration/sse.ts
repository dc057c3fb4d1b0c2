/** A minimal Server-Sent Events reader over fetch, for tests and the benchmark's probes. */
import { takeSseBlocks } from '../../tools/sse-blocks.ts'

export interface SseEvent {
  event: string
  data: string
  receivedAt: number
}

export interface SseStream {
  events: SseEvent[]
  /** The first event from index `from` on (already received or coming) that matches; rejects after `timeoutMs`. */
  next: (match: (event: SseEvent) => boolean, options?: { timeoutMs?: number, from?: number }) => Promise<SseEvent>
  /** True once the server ended the stream. */
  ended: () => boolean
  close: () => void
}

export async function openSse(url: string, fetchImpl: typeof fetch = fetch): Promise<SseStream> {
  const controller = new AbortController()
  const response = await fetchImpl(url, {
    headers: { accept: 'text/event-stream' },
    signal: controller.signal,
  })
  if (!response.ok || !response.body)
    throw new Error(`SSE ${url} answered ${response.status}`)
  if (!response.headers.get('content-type')?.startsWith('text/event-stream'))
    throw new Error(`SSE ${url} answered ${response.headers.get('content-type')}`)

  const events: SseEvent[] = []
  let ended = false
  const waiters = new Set<() => void>()
  void (async () => {
    let buffer = ''
    try {
      for await (const chunk of response.body!.pipeThrough(new TextDecoderStream())) {
        const taken = takeSseBlocks(buffer + chunk)
        buffer = taken.rest
        for (const block of taken.blocks) {
          let event = 'message'
          const data: string[] = []
          for (const line of block.split('\n')) {
            if (line.startsWith('event: '))
              event = line.slice(7)
            else if (line.startsWith('data: '))
              data.push(line.slice(6))
          }
          if (data.length > 0) {
            events.push({
              event,
              data: data.join('\n'),
              receivedAt: performance.now(),
            })
            for (const wake of waiters) wake()
          }
        }
      }
      ended = true
    }
    catch {
      // Aborted by close(), or the connection broke.
      ended = true
    }
  })()

  return {
    events,
    next(match, { timeoutMs = 5000, from = 0 } = {}) {
      return new Promise((resolve, reject) => {
        let seen = from
        let timer: ReturnType<typeof setTimeout> | undefined
        const check = () => {
          for (; seen < events.length; seen++) {
            const event = events[seen]!
            if (match(event)) {
              waiters.delete(check)
              clearTimeout(timer)
              resolve(event)
              return
            }
          }
        }
        timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`No matching SSE event from ${url} within ${timeoutMs} ms; got ${events.length}: ${events.map(e => e.data).join('\n')}`))
        }, timeoutMs)
        waiters.add(check)
        check()
      })
    },
    ended: () => ended,
    close: () => controller.abort(),
  }
}
