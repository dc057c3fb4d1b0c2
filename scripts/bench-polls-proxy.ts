/**
 * `npm run bench:polls -- --mode proxy`: the cost of the TLS proxy of deploy/. The compose topology with Debian's
 * programs (Caddy running the shipped deploy/Caddyfile → two poll servers → one redis-server, as
 * tests/integration/deployment.test.ts starts it), measured twice in one run with the same load: first straight
 * to the two nodes over HTTP (round-robin, as the proxy would), then through Caddy over HTTPS. Each phase has
 * its own listeners on the open poll and voting clients that each keep one connection, as a phone does.
 * Prints acknowledged votes/s and vote → 201 latency (p50, p99) of both, side by side.
 */
import type { CaddyProxy } from '../tools/caddy-process.ts'
import type { PollServer } from '../tools/poll-server-process.ts'
import type { RedisServer } from '../tools/redis-process.ts'
import { randomBytes } from 'node:crypto'
import { cpus } from 'node:os'
import process from 'node:process'
import { startCaddy } from '../tools/caddy-process.ts'
import { httpsFetch } from '../tools/https-fetch.ts'
import { startPollServer } from '../tools/poll-server-process.ts'
import { startRedis } from '../tools/redis-process.ts'
import { takeSseBlocks } from '../tools/sse-blocks.ts'

export interface ProxyBenchSettings {
  listeners: number
  voters: number
  durationS: number
}

type Path = 'direct' | 'proxy'

const PATH_LABEL: Record<Path, string> = {
  direct: 'direct to the 2 nodes (HTTP)',
  proxy: 'through Caddy (HTTPS)',
}

const PATHS: readonly Path[] = ['direct', 'proxy']
const POLL = 'vane'
const WARM_UP_S = 2

interface Phase {
  path: Path
  votesPerSecond: number
  acked: number
  counted: number
  ackP50: number
  ackP99: number
  errors: Map<string, number>
  inSync: number
}

/** The value at `fraction` of the sorted latencies (nearest rank). */
function percentile(sorted: readonly number[], fraction: number): number {
  return sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * fraction) - 1))]!
}

interface Listener {
  /** The total of the last tally received; -1 before the first. */
  total: () => number
  close: () => void
}

/** An event stream that remembers the total of the last tally it received. */
async function listen(url: string, fetchImpl: typeof fetch): Promise<Listener> {
  const controller = new AbortController()
  const response = await fetchImpl(`${url}/api/polls/${POLL}/events`, {
    headers: { accept: 'text/event-stream' },
    signal: controller.signal,
  })
  if (response.status !== 200 || !response.body)
    throw new Error(`The event stream at ${url} answered ${response.status}`)
  let total = -1
  let buffer = ''
  void (async () => {
    try {
      for await (const chunk of response.body!.pipeThrough(new TextDecoderStream())) {
        const taken = takeSseBlocks(buffer + chunk)
        buffer = taken.rest
        const last = taken.blocks.findLast(block => block.startsWith('event: tally\ndata: '))
        if (last)
          total = (JSON.parse(last.slice(19)) as { total: number }).total
      }
    }
    catch {} // aborted at the end of the phase
  })()
  return {
    total: () => total,
    close: () => controller.abort(),
  }
}

async function pollTotal(url: string, fetchImpl: typeof fetch): Promise<number> {
  return (await (await fetchImpl(`${url}/api/polls/${POLL}`)).json() as { total: number }).total
}

async function runPhase(path: Path, targets: readonly string[], ca: string, settings: ProxyBenchSettings): Promise<Phase> {
  const target = (index: number) => targets[index % targets.length]!
  const control = httpsFetch({ ca })
  const before = await pollTotal(target(0), control)
  const streamFetch = httpsFetch({ ca, keepAlive: false })
  const listeners: Listener[] = []
  for (let index = 0; index < settings.listeners; index += 100) {
    listeners.push(...await Promise.all(Array.from({
      length: Math.min(100, settings.listeners - index),
    }, (_, offset) => listen(target(index + offset), streamFetch))))
  }

  // One keep-alive agent per voting client: its own connection (and TLS session) for the whole phase.
  const voterFetches = Array.from({ length: settings.voters }, () => httpsFetch({ ca }))
  const latencies: number[] = []
  const errors = new Map<string, number>()
  const countError = (key: string) => errors.set(key, (errors.get(key) ?? 0) + 1)
  const run = randomBytes(4).toString('hex') // every vote of every phase a new voter
  const started = performance.now()
  const deadline = started + settings.durationS * 1000
  await Promise.all(voterFetches.map(async (send, client) => {
    for (let k = 0; performance.now() < deadline; k++) {
      const sentAt = performance.now()
      try {
        const response = await send(`${target(client)}/api/polls/${POLL}/votes`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ voter: `bench-${run}-${client}-${k}`, choice: `ord-${client}` }),
        })
        await response.arrayBuffer()
        if (response.status === 201)
          latencies.push(performance.now() - sentAt)
        else
          countError(`HTTP ${response.status}`)
      }
      catch (error) {
        countError((error as NodeJS.ErrnoException).code ?? String(error))
      }
    }
  }))
  const seconds = (performance.now() - started) / 1000
  const final = await pollTotal(target(0), control)
  const inSync = () => listeners.filter(listener => listener.total() === final).length
  for (let waited = 0; waited < 5000 && inSync() < listeners.length; waited += 50)
    await new Promise(resolve => setTimeout(resolve, 50))
  const synced = inSync()
  listeners.forEach(listener => listener.close())
  latencies.sort((a, b) => a - b)
  return {
    path,
    votesPerSecond: Math.round(latencies.length / seconds),
    acked: latencies.length,
    counted: final - before,
    ackP50: percentile(latencies, 0.5),
    ackP99: percentile(latencies, 0.99),
    errors,
    inSync: synced,
  }
}

function printTable(phases: readonly Phase[], settings: ProxyBenchSettings): void {
  const ms = (value: number) => `${value.toFixed(1)} ms`
  const table = [
    [
      '',
      'votes/s',
      'vote → 201 p50',
      'vote → 201 p99',
      'acked / counted',
      'errors',
      'listeners at final tally',
    ],
    ...phases.map(phase => [
      PATH_LABEL[phase.path],
      String(phase.votesPerSecond),
      ms(phase.ackP50),
      ms(phase.ackP99),
      `${phase.acked} / ${phase.counted}`,
      phase.errors.size === 0
        ? '0'
        : [...phase.errors].map(([key, count]) => `${key}: ${count}`).join(', '),
      `${phase.inSync}/${settings.listeners}`,
    ]),
  ]
  const widths = table[0]!.map((_, column) => Math.max(...table.map(row => row[column]!.length)))
  console.log(`\nSummary (Caddy → 2 poll servers → Redis; ${settings.listeners} listeners, ${settings.voters} voting clients, ${settings.durationS} s a phase, one run, ${cpus().length} cores shared with the load generator and Caddy):`)
  for (const row of table) {
    console.log(`  ${row.map((cell, column) => column === 0
      ? cell.padEnd(widths[column]!)
      : cell.padStart(widths[column]!)).join('  ')}`)
  }
}

/** Runs both phases; true when every acknowledged vote was counted and every listener reached the final tally. */
export async function benchPollsThroughProxy(settings: ProxyBenchSettings): Promise<boolean> {
  // Bounded in time whatever happens.
  setTimeout(() => {
    console.error('The benchmark took too long; stopping.')
    process.exit(1)
  }, (2 * (settings.durationS + WARM_UP_S) + 300) * 1000).unref()
  let redis: RedisServer | undefined
  let nodes: PollServer[] = []
  let proxy: CaddyProxy | undefined
  try {
    redis = await startRedis()
    const env = {
      POLL_STORE: `${redis.url}/0`,
      POLL_TOKEN: randomBytes(12).toString('hex'),
      TRUST_PROXY: '127.0.0.1',
      POLL_RATE_LIMITS: 'off',
    }
    nodes = await Promise.all([
      startPollServer({ env }),
      startPollServer({ env }),
    ])
    proxy = await startCaddy({
      upstreams: nodes.map(node => new URL(node.url).host),
    })
    const open = await fetch(`${nodes[0]!.url}/api/polls/${POLL}/state`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'authorization': `Bearer ${env.POLL_TOKEN}` },
      body: JSON.stringify({ state: 'open' }),
    })
    if (open.status !== 200)
      throw new Error(`Could not open the poll ${POLL}: ${open.status}`)
    const targets: Record<Path, string[]> = {
      direct: nodes.map(node => node.url),
      proxy: [proxy.url],
    }
    // Both paths warmed up first (JIT, connection pools, Caddy's), so neither phase pays for starting.
    console.log(`\nWarming up both paths (${WARM_UP_S} s each) …`)
    for (const path of PATHS)
      await runPhase(path, targets[path], proxy.ca, { listeners: 0, voters: settings.voters, durationS: WARM_UP_S })
    const phases: Phase[] = []
    for (const path of PATHS) {
      console.log(`${PATH_LABEL[path]}: ${settings.listeners} listeners, ${settings.voters} voting clients, ${settings.durationS} s …`)
      phases.push(await runPhase(path, targets[path], proxy.ca, settings))
    }
    printTable(phases, settings)
    return phases.every(phase => phase.errors.size === 0 && phase.acked === phase.counted && phase.inSync === settings.listeners)
  }
  finally {
    await proxy?.stop()
    await Promise.all(nodes.map(node => node.stop()))
    await redis?.remove()
  }
}
