/**
 * Listeners for `npm run bench:polls`, run in a worker thread (poll-load.ts starts it): reading thousands of event
 * streams on its own event loop does not hold up the voting clients and their timings. Each listener holds one
 * stream (a slide's fast stream, or what the voting page holds) and notes when each `tally` event came and which.
 */
import type { Socket } from 'node:net'
import { parentPort, workerData } from 'node:worker_threads'
import { createReadMemo, openSseSocket } from '../tools/sse-socket.ts'
import { wordOf } from './poll-load.ts'

export interface CrowdOptions {
  /** Listener i connects to urls[i % urls.length]. */
  urls: string[]
  /** The stream's path, e.g. /api/events. */
  path: string
  listeners: number
  /** Voting clients: each event's votes are counted per client's word (wordOf). */
  voters: number
}

export type CrowdRequest = { type: 'progress', total: number } | { type: 'history' } | { type: 'close' }

export interface CrowdConnected {
  type: 'connected'
  connected: number
  seconds: number
}

export interface CrowdProgress {
  type: 'progress'
  /** Listeners refused when connecting, or whose stream ended while the benchmark ran. */
  dropped: number
  /** Listeners whose last event had the total asked about. */
  atTotal: number
  /** Listeners whose last event says the poll is closed. */
  closed: number
  /** Events all listeners received so far. */
  events: number
}

export interface CrowdHistory {
  type: 'history'
  /** Listener i's events are entries offsets[i] to offsets[i + 1] of `times` (epoch ms) and `events`. */
  offsets: Int32Array
  times: Float64Array
  events: Int32Array
  /** Per distinct event: its total, whether it says closed, and its count of each voting client's word. */
  totals: Int32Array
  closed: Uint8Array
  counts: Int32Array
}

const BATCH = 500
const options = workerData as CrowdOptions
const port = parentPort!
const now = () => performance.timeOrigin + performance.now()

const times: number[][] = Array.from({ length: options.listeners }, () => [])
const events: number[][] = Array.from({ length: options.listeners }, () => [])
const dropped = new Uint8Array(options.listeners)
const sockets: Socket[] = []
const totals: number[] = []
const closed: number[] = []
const counts: number[] = []
let received = 0
let connected = 0
let closing = false

/** Every stream reads the same bytes: decoded once (a read decoded before gives back the same block strings). */
const memo = createReadMemo()
/** Each distinct block, parsed once, to its event's index (into totals, closed, counts), or -1 when it is not a tally. */
const blockEvents = new Map<string, number>()

function eventOf(block: string): number {
  let event = blockEvents.get(block)
  if (event === undefined) {
    const data = block.indexOf('data: ')
    event = data === -1 || !block.includes('event: tally\n')
      ? -1
      : addEvent(block.slice(data + 6))
    blockEvents.set(block, event)
  }
  return event
}

function addEvent(data: string): number {
  const status = JSON.parse(data) as { total: number, state: string, tallies: Record<string, number> }
  totals.push(status.total)
  closed.push(status.state === 'closed'
    ? 1
    : 0)
  for (let client = 0; client < options.voters; client++)
    counts.push(status.tallies[wordOf(client)] ?? 0)
  return totals.length - 1
}

function openListener(listener: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = openSseSocket(`${options.urls[listener % options.urls.length]!}${options.path}`, {
      onStatus(status) {
        if (status === 200)
          connected++
        else
          socket.destroy()
      },
      onBlock(block, receivedAt) {
        const event = eventOf(block)
        if (event === -1)
          return
        times[listener]!.push(receivedAt)
        events[listener]!.push(event)
        received++
        resolve()
      },
      onClose() {
        if (!closing)
          dropped[listener] = 1
        resolve()
      },
    }, now, memo)
    sockets.push(socket)
  })
}

function progress(total: number): CrowdProgress {
  let atTotal = 0
  let closedNow = 0
  for (let listener = 0; listener < options.listeners; listener++) {
    const last = events[listener]!.at(-1)
    if (dropped[listener] || last === undefined)
      continue
    atTotal += totals[last] === total
      ? 1
      : 0
    closedNow += closed[last]!
  }
  return {
    type: 'progress',
    dropped: dropped.reduce((sum, one) => sum + one, 0),
    atTotal,
    closed: closedNow,
    events: received,
  }
}

function history(): CrowdHistory {
  const offsets = new Int32Array(options.listeners + 1)
  for (let listener = 0; listener < options.listeners; listener++)
    offsets[listener + 1] = offsets[listener]! + events[listener]!.length
  return {
    type: 'history',
    offsets,
    times: Float64Array.from(times.flat()),
    events: Int32Array.from(events.flat()),
    totals: Int32Array.from(totals),
    closed: Uint8Array.from(closed),
    counts: Int32Array.from(counts),
  }
}

port.on('message', (message: CrowdRequest) => {
  if (message.type === 'progress') {
    port.postMessage(progress(message.total))
    return
  }
  if (message.type === 'history') {
    port.postMessage(history())
    return
  }
  closing = true
  for (const socket of sockets)
    socket.destroy()
  port.close()
})

/** Listeners connect a batch at a time, each batch once every listener in it has its first event (or was refused). */
async function connectAll(): Promise<void> {
  const started = performance.now()
  for (let first = 0; first < options.listeners; first += BATCH) {
    await Promise.all(Array.from({
      length: Math.min(BATCH, options.listeners - first),
    }, (_, offset) => openListener(first + offset)))
  }
  port.postMessage({ type: 'connected', connected, seconds: (performance.now() - started) / 1000 } satisfies CrowdConnected)
}

void connectAll()
