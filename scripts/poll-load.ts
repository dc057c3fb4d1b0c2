/**
 * The load the poll benchmarks put on a server, and how they measure it: voting clients on the words poll, listeners
 * whose every event is timed, latency histograms and the CPU and memory of processes (from /proc).
 *
 * The words poll makes latency exact: voting client c always sends its own word (each time as a new voter) one vote
 * at a time, so its k-th vote is in a `tally` event exactly when that word's count there is at least k.
 */
import type { Agent, IncomingMessage } from 'node:http'
import type { PollServer } from '../tools/poll-server-process.ts'
import type { CrowdConnected, CrowdHistory, CrowdOptions, CrowdProgress, CrowdRequest } from './listener-crowd.ts'
import { Buffer } from 'node:buffer'
import { readFileSync } from 'node:fs'
import { request } from 'node:http'
import process from 'node:process'
import { Worker } from 'node:worker_threads'
import { takeSseBlocks } from '../tools/sse-blocks.ts'
import { openJsonConnection } from './json-connection.ts'

export const POLL = 'vane'
export const wordOf = (client: number) => `ord-${client}`
export const sum = (values: number[]) => values.reduce((total, value) => total + value, 0)

/** The time each listener first got an event that `matches`, the latest of them; undefined if one never did. */
export function lastToArrive(listeners: Listener[], matches: (event: number, time: number) => boolean): number | undefined {
  let latest = Number.NEGATIVE_INFINITY
  for (const listener of listeners) {
    const index = listener.events.findIndex((event, at) => matches(event, listener.times[at]!))
    if (index === -1)
      return undefined
    latest = Math.max(latest, listener.times[index]!)
  }
  return latest
}

/** Every listener receives the same events: each distinct one is parsed once, into counts per voting client. */
export function createEventBook(voters: number) {
  const distinct = new Map<string, number>()
  const counts: Int32Array[] = []
  const totals: number[] = []
  return {
    counts,
    totals,
    intern(data: string): number {
      let index = distinct.get(data)
      if (index === undefined) {
        const tallies = (JSON.parse(data) as { tallies: Record<string, number> }).tallies
        const perClient = Int32Array.from({ length: voters }, (_, client) => tallies[wordOf(client)] ?? 0)
        counts.push(perClient)
        totals.push(perClient.reduce((total, count) => total + count, 0))
        index = counts.length - 1
        distinct.set(data, index)
      }
      return index
    },
  }
}

export type EventBook = ReturnType<typeof createEventBook>

/** Listeners in a worker thread (listener-crowd.ts). */
export interface Crowd {
  connected: CrowdConnected
  /** How many listeners have an event with `total` as their last, how many were told the poll closed. */
  progress: (total: number) => Promise<CrowdProgress>
  /** Every listener's events, with times on this thread's clock (performance.now()). */
  history: () => Promise<{ listeners: Listener[], book: Pick<EventBook, 'counts' | 'totals'>, closed: Uint8Array }>
  close: () => Promise<void>
}

/** Starts the crowd and resolves once every listener has its first event or was refused. */
export async function startCrowd(options: CrowdOptions): Promise<Crowd> {
  const worker = new Worker(new URL('./listener-crowd.ts', import.meta.url), { workerData: options })
  const next = <T>() => new Promise<T>((resolve, reject) => {
    function answered(message: T): void {
      worker.off('error', failed)
      resolve(message)
    }
    function failed(error: Error): void {
      worker.off('message', answered)
      reject(error)
    }
    worker.once('message', answered)
    worker.once('error', failed)
  })
  const ask = <T>(request: CrowdRequest) => {
    const answer = next<T>()
    worker.postMessage(request)
    return answer
  }
  const connected = await next<CrowdConnected>()
  return {
    connected,
    progress: total => ask<CrowdProgress>({ type: 'progress', total }),
    async history() {
      const answer = await ask<CrowdHistory>({ type: 'history' })
      const listeners = Array.from({ length: answer.offsets.length - 1 }, (_, index) => {
        const from = answer.offsets[index]!
        const to = answer.offsets[index + 1]!
        return {
          times: Array.from(answer.times.subarray(from, to), at => at - performance.timeOrigin),
          events: Array.from(answer.events.subarray(from, to)),
        }
      })
      const counts = Array.from(answer.totals, (_, event) => answer.counts.subarray(event * options.voters, (event + 1) * options.voters))
      return {
        listeners,
        book: {
          counts,
          totals: Array.from(answer.totals),
        },
        closed: answer.closed,
      }
    },
    async close() {
      const exited = new Promise(resolve => worker.once('exit', resolve))
      worker.postMessage({ type: 'close' } satisfies CrowdRequest)
      await exited
    },
  }
}

/** A listener on a poll's fast stream: when each `tally` event arrived, and which one it was. */
export interface Listener {
  times: number[]
  events: number[]
  response?: IncomingMessage
}

export function openListener(url: string, listener: Listener, agent: Agent, book: EventBook): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/polls/${POLL}/events`, {
      agent,
      headers: { accept: 'text/event-stream' },
    }, (response) => {
      if (response.statusCode !== 200) {
        reject(new Error(`SSE answered ${response.statusCode}`))
        return
      }
      listener.response = response
      response.setEncoding('utf8')
      let buffer = ''
      response.on('data', (chunk: string) => {
        const receivedAt = performance.now()
        const taken = takeSseBlocks(buffer + chunk)
        buffer = taken.rest
        for (const block of taken.blocks) {
          if (block.startsWith('event: tally\ndata: ')) {
            listener.times.push(receivedAt)
            listener.events.push(book.intern(block.slice(19)))
            if (listener.events.length === 1)
              resolve()
          }
        }
      })
      response.on('error', () => {})
    })
    req.on('error', reject)
    req.end()
  })
}

/** A JSON request to a poll server: its status and answer. */
export function send(server: Pick<PollServer, 'url'>, agent: Agent, method: string, path: string, body: unknown, token?: string): Promise<{ status: number, text: string }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body)
    const req = request(`${server.url}${path}`, {
      method,
      agent,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(payload),
        ...token
          ? { authorization: `Bearer ${token}` }
          : {},
      },
    }, (response) => {
      let text = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => text += chunk)
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }))
    })
    req.on('error', reject)
    req.end(payload)
  })
}

export async function post(server: PollServer, agent: Agent, path: string, body: unknown, token?: string): Promise<number> {
  return (await send(server, agent, 'POST', path, body, token)).status
}

export async function setPollState(server: PollServer, agent: Agent, state: 'open' | 'closed'): Promise<void> {
  const status = await post(server, agent, `/api/polls/${POLL}/state`, { state }, server.token)
  if (status !== 200)
    throw new Error(`Could not set the poll ${POLL} to ${state} (HTTP ${status})`)
}

/** Latency histogram in whole milliseconds (the last bucket holds everything slower). */
export class Histogram {
  counts = new Uint32Array(10_000)
  total = 0
  add(ms: number): void {
    this.counts[Math.min(Math.max(0, Math.round(ms)), this.counts.length - 1)]!++
    this.total++
  }

  percentile(fraction: number): number {
    const rank = Math.max(1, Math.ceil(this.total * fraction))
    let seen = 0
    for (let ms = 0; ms < this.counts.length; ms++) {
      seen += this.counts[ms]!
      if (seen >= rank)
        return ms
    }
    return Number.NaN
  }
}

export interface AckedVote {
  client: number
  /** This client's k-th acknowledged vote: seen once its word's count reaches k. */
  k: number
  sentAt: number
}

export interface VotingOutcome {
  acked: AckedVote[]
  ackLatency: Histogram
  errors: Map<string, number>
  seconds: number
  /** When the last vote was acknowledged (performance.now()). */
  lastAckAt: number
}

/** `voters` clients, each voting one vote at a time on its own connection, as fast as it is acknowledged, for `durationS` seconds. */
export async function runVoters(serverFor: (client: number) => PollServer, voters: number, durationS: number): Promise<VotingOutcome> {
  const acked: AckedVote[] = []
  const ackLatency = new Histogram()
  const errors = new Map<string, number>()
  const countError = (key: string) => errors.set(key, (errors.get(key) ?? 0) + 1)
  // Each connection is open and answered once before the clock starts, as the listeners' are: the run times votes,
  // not the server accepting 50 connections at once (behind a proxy, votes come on connections it keeps open).
  const connections = Array.from({ length: voters }, (_, client) => openJsonConnection(serverFor(client).url))
  await Promise.all(connections.map(connection => connection.get('/healthz')))
  const started = performance.now()
  const deadline = started + durationS * 1000
  let lastAckAt = started
  await Promise.all(connections.map(async (connection, client) => {
    let k = 0
    while (performance.now() < deadline) {
      const sentAt = performance.now()
      try {
        const status = await connection.post(`/api/polls/${POLL}/votes`, {
          voter: `bench-${client}-${k}`,
          choice: wordOf(client),
        })
        if (status === 201) {
          lastAckAt = performance.now()
          ackLatency.add(lastAckAt - sentAt)
          acked.push({ client, k: ++k, sentAt })
        }
        else {
          countError(`HTTP ${status}`)
        }
      }
      catch (error) {
        countError((error as NodeJS.ErrnoException).code ?? String(error))
      }
    }
    connection.close()
  }))
  return {
    acked,
    ackLatency,
    errors,
    seconds: (performance.now() - started) / 1000,
    lastAckAt,
  }
}

/** Seconds a freshly started server takes to compile its hot paths under a storm (see `afterWarmUp`). */
export const WARM_UP_S = 3

/**
 * From sending each acknowledged vote to each listener receiving the first event that counts it; also by the second
 * of the run the vote was sent in, which tells a slow start or a passing stall from a steady miss. `afterWarmUp` counts
 * only the votes sent after the first WARM_UP_S seconds: the server is started just before the storm, and V8 compiles
 * its vote path and fan-out while the first seconds' votes wait (4 s of storm before the clock took the p99 of those
 * seconds from 96–165 ms to 68–105 ms in 4 paired runs; warming only the load generator did less). The target is
 * judged on `latency`, the whole run.
 */
export function eventLatency(listeners: Listener[], acked: AckedVote[], book: Pick<EventBook, 'counts'>): { latency: Histogram, afterWarmUp: Histogram, bySecond: (Histogram | undefined)[], unseen: number } {
  const latency = new Histogram()
  const afterWarmUp = new Histogram()
  const start = acked.reduce((first, vote) => Math.min(first, vote.sentAt), Number.POSITIVE_INFINITY)
  const bySecond: (Histogram | undefined)[] = []
  const secondOf = acked.map(vote => bySecond[Math.floor((vote.sentAt - start) / 1000)] ??= new Histogram())
  const warm = acked.map(vote => vote.sentAt - start >= WARM_UP_S * 1000)
  let unseen = 0
  for (const listener of listeners) {
    const counts = listener.events.map(index => book.counts[index]!)
    for (let index = 0; index < acked.length; index++) {
      const vote = acked[index]!
      let low = 0
      let high = counts.length
      while (low < high) {
        const middle = (low + high) >> 1
        if (counts[middle]![vote.client]! >= vote.k)
          high = middle
        else
          low = middle + 1
      }
      if (low === counts.length) {
        unseen++
        continue
      }
      const ms = listener.times[low]! - vote.sentAt
      latency.add(ms)
      secondOf[index]!.add(ms)
      if (warm[index])
        afterWarmUp.add(ms)
    }
  }
  return {
    latency,
    afterWarmUp,
    bySecond,
    unseen,
  }
}

export function formatErrors(errors: Map<string, number>): string {
  const count = sum([
    ...errors.values(),
  ])
  return count === 0
    ? '0'
    : `${count} (${[...errors].map(([key, times]) => `${key}: ${times}`).join(', ')})`
}

export function processMemoryMb(pid: number): number {
  const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m)
  return match
    ? Number(match[1]) / 1024
    : Number.NaN
}

/** utime + stime of a process (all its threads), in seconds. */
export function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/**
 * CPU seconds of the whole machine from /proc/stat: busy (kernel network work included) and stolen (a virtual
 * machine's cores running someone else: the host's other guests).
 */
function machineSeconds(): { busy: number, stolen: number } {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
  return {
    busy: (user! + nice! + system! + irq! + softirq!) / 100,
    stolen: steal! / 100,
  }
}

export interface CpuShares {
  servers: number
  redis: number
  loadGenerator: number
  rest: number
  /**
   * Taken by the host (steal time): on a shared virtual machine the same code runs 2× slower or faster over tens
   * of minutes, and this says which a run had.
   */
  stolen: number
}

/** Starts counting CPU time; the function returned gives each share per second since (1 = one core). */
export function cpuWatch(serverPids: number[], redisPid?: number): () => CpuShares {
  const cpuOf = () => ({
    servers: sum(serverPids.map(processCpuSeconds)),
    redis: redisPid
      ? processCpuSeconds(redisPid)
      : 0,
    self: process.cpuUsage(),
    machine: machineSeconds(),
    at: performance.now(),
  })
  const start = cpuOf()
  return () => {
    const end = cpuOf()
    const seconds = (end.at - start.at) / 1000
    const self = process.cpuUsage(start.self)
    const shares = {
      servers: (end.servers - start.servers) / seconds,
      redis: (end.redis - start.redis) / seconds,
      loadGenerator: (self.user + self.system) / 1e6 / seconds,
    }
    return {
      ...shares,
      rest: Math.max(0, (end.machine.busy - start.machine.busy) / seconds - shares.servers - shares.redis - shares.loadGenerator),
      stolen: (end.machine.stolen - start.machine.stolen) / seconds,
    }
  }
}

/** A share of CPU time, 1 = one core. */
export const percentOfCore = (share: number) => `${(share * 100).toFixed(0)}%`

/** A run's CPU use, 100% = 1 core. */
export function formatCpu(shares: CpuShares, servers = 1, redis = false): string {
  return [
    `server${servers > 1
      ? 's'
      : ''} ${percentOfCore(shares.servers)}`,
    ...redis
      ? [`redis-server ${percentOfCore(shares.redis)}`]
      : [],
    `load generator ${percentOfCore(shares.loadGenerator)}`,
    `rest of the machine ${percentOfCore(shares.rest)}`,
    `taken by the host (steal) ${percentOfCore(shares.stolen)}`,
  ].join(', ')
}

export function printRows(rows: [string, string][]): void {
  const width = Math.max(...rows.map(([label]) => label.length))
  console.log(`\n${rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n')}`)
}

export function printTable(title: string, table: string[][]): void {
  const widths = table[0]!.map((_, column) => Math.max(...table.map(row => row[column]!.length)))
  console.log(`\n${title}`)
  for (const row of table) {
    console.log(`  ${row.map((cell, column) => column === 0
      ? cell.padEnd(widths[column]!)
      : cell.padStart(widths[column]!)).join('  ')}`)
  }
}
