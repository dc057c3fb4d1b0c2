/**
 * A crowd of phones for `npm run bench:polls`, run in a worker thread: each phone holds exactly what the voting page
 * at /v holds (one `/api/events` stream) and notes the last status it was sent. On its own event loop, reading
 * thousands of streams does not hold up the benchmark's voting clients and their timings.
 */
import type { IncomingMessage } from 'node:http'
import { Agent, request } from 'node:http'
import { parentPort, workerData } from 'node:worker_threads'
import { takeSseBlocks } from '../tools/sse-blocks.ts'

export interface CrowdOptions {
  url: string
  phones: number
}

export type CrowdRequest = { type: 'report' } | { type: 'close' }

export interface CrowdConnected {
  type: 'connected'
  connected: number
  seconds: number
}

export interface CrowdReport {
  type: 'report'
  connected: number
  /** Phones refused when connecting, or whose stream ended while the benchmark ran. */
  dropped: number
  /** Phones by the total of the last status they were sent: total, phones, when the last of them got it (epoch ms). */
  totals: [number, number, number][]
  /** Phones whose last status says the poll is closed, and when the last of them got it (epoch ms). */
  closed: { phones: number, latestAt: number }
  /** Status events all phones were sent so far. */
  events: number
}

const BATCH = 500
const { url, phones } = workerData as CrowdOptions
const port = parentPort!
const now = () => performance.timeOrigin + performance.now()

const total = new Int32Array(phones).fill(-1)
const totalAt = new Float64Array(phones)
const closed = new Uint8Array(phones)
const closedAt = new Float64Array(phones)
const dropped = new Uint8Array(phones)
const responses: IncomingMessage[] = []
/** Every phone is sent the same events: each distinct one is parsed once. */
const seen = new Map<string, { total: number, closed: boolean }>()
let closing = false
let events = 0

function noteStatus(phone: number, data: string): void {
  let status = seen.get(data)
  if (!status) {
    const parsed = JSON.parse(data) as { total: number, state: string }
    status = { total: parsed.total, closed: parsed.state === 'closed' }
    seen.set(data, status)
  }
  const at = now()
  events++
  if (status.total !== total[phone]) {
    total[phone] = status.total
    totalAt[phone] = at
  }
  if (status.closed && !closed[phone])
    closedAt[phone] = at
  closed[phone] = status.closed ? 1 : 0
}

function openPhone(phone: number, agent: Agent): Promise<void> {
  return new Promise((resolve) => {
    const drop = () => {
      if (!closing)
        dropped[phone] = 1
      resolve()
    }
    const req = request(`${url}/api/events`, {
      agent,
      headers: { accept: 'text/event-stream' },
    }, (response) => {
      if (response.statusCode !== 200) {
        response.resume()
        drop()
        return
      }
      responses.push(response)
      response.setEncoding('utf8')
      let buffer = ''
      response.on('data', (chunk: string) => {
        const taken = takeSseBlocks(buffer + chunk)
        buffer = taken.rest
        for (const block of taken.blocks) {
          const data = block.indexOf('\ndata: ')
          if (data >= 0 && block.includes('event: tally\n')) {
            noteStatus(phone, block.slice(data + 7))
            resolve()
          }
        }
      })
      response.on('close', drop)
      response.on('error', () => {})
    })
    req.on('error', drop)
    req.end()
  })
}

function report(): CrowdReport {
  const byTotal = new Map<number, [number, number, number]>()
  let closedPhones = 0
  let closedLatest = 0
  for (let phone = 0; phone < phones; phone++) {
    if (dropped[phone])
      continue
    const row = byTotal.get(total[phone]!) ?? [total[phone]!, 0, 0]
    row[1]++
    row[2] = Math.max(row[2], totalAt[phone]!)
    byTotal.set(total[phone]!, row)
    if (closed[phone]) {
      closedPhones++
      closedLatest = Math.max(closedLatest, closedAt[phone]!)
    }
  }
  return {
    type: 'report',
    connected: responses.length,
    dropped: dropped.reduce((sum, one) => sum + one, 0),
    totals: [
      ...byTotal.values(),
    ],
    closed: { phones: closedPhones, latestAt: closedLatest },
    events,
  }
}

const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY })
port.on('message', (message: CrowdRequest) => {
  if (message.type === 'report') {
    port.postMessage(report())
    return
  }
  closing = true
  for (const response of responses)
    response.destroy()
  agent.destroy()
  port.close()
})

/** Phones connect a batch at a time, each batch once every phone in it has its first event (or was refused). */
async function connectAll(): Promise<void> {
  const started = performance.now()
  for (let first = 0; first < phones; first += BATCH) {
    await Promise.all(Array.from({
      length: Math.min(BATCH, phones - first),
    }, (_, offset) => openPhone(first + offset, agent)))
  }
  port.postMessage({ type: 'connected', connected: responses.length, seconds: (performance.now() - started) / 1000 } satisfies CrowdConnected)
}

void connectAll()
