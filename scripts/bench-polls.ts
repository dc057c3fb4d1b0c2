/**
 * `npm run bench:polls`: the real poll server on loopback, N SSE listeners and M voting clients for D seconds.
 * Prints acknowledged votes/s, vote→event latency, errors, server RSS and CPU. Stops by itself.
 *
 *   node scripts/bench-polls.ts --listeners 2000 --voters 50 --duration 10
 *   BENCH_LISTENERS=2000 BENCH_VOTERS=50 BENCH_DURATION=10 npm run bench:polls
 *
 * Modes (`--mode`, or BENCH_MODE):
 *   sqlite   one server on SQLite (the default, what a speaker's laptop runs)
 *   redis    one server on Redis (a redis-server started for the run: AOF, appendfsync always)
 *   redis3   three servers sharing that Redis; listeners and voting clients spread round-robin over them
 *   all      the three above, one after the other, then a summary table
 *   proxy    Caddy over HTTPS → two servers → Redis, next to straight to the two (scripts/bench-polls-proxy.ts)
 *   hostile  the default limits in a hostile room (scripts/bench-hostile.ts; its settings are described there)
 *   npm run bench:polls -- --mode all
 *
 * The scenario of a talk: one open poll that every screen listens to. It is the words poll, because that makes
 * the latency exact: voting client c always sends its own word (each time as a new voter) one vote at a time,
 * so its k-th vote is in a `tally` event exactly when that word's count there is at least k. Latency is
 * measured for every vote at every listener, from sending the vote to the listener receiving the event.
 */
import type { IncomingMessage } from 'node:http'
import type { PollServer } from '../tools/poll-server-process.ts'
import type { RedisServer } from '../tools/redis-process.ts'
import { Buffer } from 'node:buffer'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { cpus } from 'node:os'
import process from 'node:process'
import { parseArgs } from 'node:util'
import { WORD_CLOUD_MAX } from '../polls/kinds/words/index.ts'
import { startPollServer } from '../tools/poll-server-process.ts'
import { startRedis } from '../tools/redis-process.ts'
import { takeSseBlocks } from '../tools/sse-blocks.ts'

const { values: flags } = parseArgs({
  options: {
    listeners: { type: 'string' },
    voters: { type: 'string' },
    duration: { type: 'string' },
    mode: { type: 'string' },
  },
})

function setting(flag: string | undefined, env: string, fallback: number): number {
  const value = Number(flag ?? process.env[env] ?? fallback)
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${env} (or its flag) must be a number ≥ 0`)
  return value
}

interface Scenario {
  mode: 'sqlite' | 'redis' | 'redis3'
  label: string
  nodes: number
  store: 'sqlite' | 'redis'
}

const SCENARIOS: Scenario[] = [
  {
    mode: 'sqlite',
    label: '1 server, SQLite',
    nodes: 1,
    store: 'sqlite',
  },
  {
    mode: 'redis',
    label: '1 server, Redis',
    nodes: 1,
    store: 'redis',
  },
  {
    mode: 'redis3',
    label: '3 servers, Redis',
    nodes: 3,
    store: 'redis',
  },
]

const LISTENERS = Math.round(setting(flags.listeners, 'BENCH_LISTENERS', 2000))
const VOTERS = Math.round(setting(flags.voters, 'BENCH_VOTERS', 50))
const DURATION_S = setting(flags.duration, 'BENCH_DURATION', 10)
const MODE = flags.mode ?? process.env.BENCH_MODE ?? 'sqlite'
if (MODE === 'proxy') {
  const { benchPollsThroughProxy } = await import('./bench-polls-proxy.ts')
  process.exit(await benchPollsThroughProxy({ listeners: LISTENERS, voters: VOTERS, durationS: DURATION_S })
    ? 0
    : 1)
}
if (MODE === 'hostile') {
  // A benchmark of its own: the default limits against a hostile room.
  await import('./bench-hostile.ts')
  process.exit()
}
const POLL = 'vane'
if (VOTERS < 1 || VOTERS > WORD_CLOUD_MAX)
  throw new Error(`Voting clients must be 1–${WORD_CLOUD_MAX}: each needs its own word among the ${WORD_CLOUD_MAX} a status lists.`)
const chosen = MODE === 'all'
  ? SCENARIOS
  : SCENARIOS.filter(scenario => scenario.mode === MODE)
if (chosen.length === 0)
  throw new Error(`Unknown --mode «${MODE}»: use sqlite, redis, redis3, all, proxy or hostile.`)

// Bounded in time whatever happens.
setTimeout(() => {
  console.error('The benchmark took too long; stopping.')
  process.exit(1)
}, (DURATION_S + 120) * 1000 * chosen.length).unref()

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))
const wordOf = (client: number) => `ord-${client}`

/** Every listener receives the same events: each distinct one is parsed once, into counts per client. */
function createEventBook() {
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
        const perClient = Int32Array.from({ length: VOTERS }, (_, client) => tallies[wordOf(client)] ?? 0)
        counts.push(perClient)
        totals.push(perClient.reduce((sum, count) => sum + count, 0))
        index = counts.length - 1
        distinct.set(data, index)
      }
      return index
    },
  }
}

type EventBook = ReturnType<typeof createEventBook>

interface Listener {
  times: number[]
  events: number[]
  response?: IncomingMessage
}

interface AckedVote {
  client: number
  /** This client's k-th acknowledged vote: seen once its word's count reaches k. */
  k: number
  sentAt: number
}

function processMemoryMb(pid: number): number {
  const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m)
  return match
    ? Number(match[1]) / 1024
    : Number.NaN
}

/** utime + stime of a process (all its threads), in seconds. */
function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/** Busy CPU seconds of the whole machine, kernel network work included, from /proc/stat. */
function machineBusySeconds(): number {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
  return (user! + nice! + system! + irq! + softirq! + steal!) / 100
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0)

function openListener(server: PollServer, listener: Listener, agent: Agent, book: EventBook): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}/api/polls/${POLL}/events`, {
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

function post(server: PollServer, agent: Agent, path: string, body: unknown, token?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body)
    const req = request(`${server.url}${path}`, {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(payload),
        ...token
          ? { authorization: `Bearer ${token}` }
          : {},
      },
    }, (response) => {
      response.resume()
      response.on('end', () => resolve(response.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end(payload)
  })
}

/** Latency histogram in whole milliseconds (the last bucket holds everything slower). */
class Histogram {
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

interface Outcome {
  scenario: Scenario
  votesPerSecond: number
  ackP99: number
  eventP99: number
  errors: number
  inSync: string
  ok: boolean
}

/** Starts what the scenario needs: a Redis when it uses one, and its servers. */
async function startServers(scenario: Scenario): Promise<{ servers: PollServer[], redis?: RedisServer }> {
  const redis = scenario.store === 'redis'
    ? await startRedis()
    : undefined
  const token = randomBytes(12).toString('hex')
  const env: Record<string, string> = { POLL_RATE_LIMITS: 'off', POLL_TOKEN: token }
  if (redis)
    env.POLL_STORE = `${redis.url}/0`
  try {
    return { servers: await Promise.all(Array.from({ length: scenario.nodes }, () => startPollServer({ env }))), redis }
  }
  catch (error) {
    await redis?.remove()
    throw error
  }
}

async function run(scenario: Scenario): Promise<Outcome> {
  const spread = scenario.nodes > 1
    ? ', listeners and voting clients spread round-robin'
    : ''
  console.log(`\nPoll server benchmark (${scenario.label}${spread}): ${LISTENERS} SSE listeners, ${VOTERS} voting clients, ${DURATION_S} s, poll «${POLL}» …`)
  const { servers, redis } = await startServers(scenario)
  const serverFor = (index: number) => servers[index % servers.length]!
  const pids = servers.map(server => server.pid)
  const memory = () => sum(pids.map(processMemoryMb))
  const book = createEventBook()
  try {
    const control = new Agent({ keepAlive: true, maxSockets: 2 })
    if (await post(servers[0]!, control, `/api/polls/${POLL}/state`, { state: 'open' }, servers[0]!.token) !== 200)
      throw new Error(`Could not open the poll ${POLL}`)
    const rssIdle = memory()

    const sseAgent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY })
    const listeners: Listener[] = Array.from({ length: LISTENERS }, () => ({ times: [], events: [] }))
    const connectStart = performance.now()
    for (let index = 0; index < listeners.length; index += 250)
      await Promise.all(listeners.slice(index, index + 250).map((listener, offset) => openListener(serverFor(index + offset), listener, sseAgent, book)))
    const connectSeconds = (performance.now() - connectStart) / 1000
    const rssListening = memory()

    const voteAgent = new Agent({ keepAlive: true, maxSockets: VOTERS })
    const acked: AckedVote[] = []
    const ackLatency = new Histogram()
    const errors = new Map<string, number>()
    const countError = (key: string) => errors.set(key, (errors.get(key) ?? 0) + 1)
    let rssPeak = rssListening
    const rssTimer = setInterval(() => rssPeak = Math.max(rssPeak, memory()), 250)
    const redisPid = redis?.pid()
    const cpuServerStart = sum(pids.map(processCpuSeconds))
    const cpuRedisStart = redisPid
      ? processCpuSeconds(redisPid)
      : 0
    const cpuSelfStart = process.cpuUsage()
    const cpuMachineStart = machineBusySeconds()
    const started = performance.now()
    const deadline = started + DURATION_S * 1000

    await Promise.all(Array.from({ length: VOTERS }, async (_, client) => {
      let k = 0
      while (performance.now() < deadline) {
        const sentAt = performance.now()
        try {
          const status = await post(serverFor(client), voteAgent, `/api/polls/${POLL}/votes`, {
            voter: `bench-${client}-${k}`,
            choice: wordOf(client),
          })
          if (status === 201) {
            ackLatency.add(performance.now() - sentAt)
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
    }))
    const voteSeconds = (performance.now() - started) / 1000
    const cpuServer = (sum(pids.map(processCpuSeconds)) - cpuServerStart) / voteSeconds
    const cpuRedis = redisPid
      ? (processCpuSeconds(redisPid) - cpuRedisStart) / voteSeconds
      : 0
    const cpuSelfUsage = process.cpuUsage(cpuSelfStart)
    const cpuSelf = (cpuSelfUsage.user + cpuSelfUsage.system) / 1e6 / voteSeconds
    const cpuOthers = Math.max(0, (machineBusySeconds() - cpuMachineStart) / voteSeconds - cpuServer - cpuRedis - cpuSelf)

    // Let the last events arrive, then check every listener reached the final tally (on whichever server).
    const finals = await Promise.all(servers.map(async server => (await (await fetch(`${server.url}/api/polls/${POLL}`)).json() as { total: number }).total))
    const final = {
      total: Math.max(...finals),
    }
    const atFinal = (listener: Listener) => listener.events.length > 0 && book.totals[listener.events.at(-1)!] === final.total
    const inSync = () => listeners.filter(atFinal).length
    for (let waited = 0; waited < 5000 && (inSync() < listeners.length || final.total < acked.length); waited += 50)
      await sleep(50)
    clearInterval(rssTimer)

    const latency = new Histogram()
    let unseen = 0
    for (const listener of listeners) {
      const counts = listener.events.map(index => book.counts[index]!)
      for (const vote of acked) {
        let low = 0
        let high = counts.length
        while (low < high) {
          const middle = (low + high) >> 1
          if (counts[middle]![vote.client]! >= vote.k)
            high = middle
          else
            low = middle + 1
        }
        if (low === counts.length)
          unseen++
        else
          latency.add(listener.times[low]! - vote.sentAt)
      }
    }

    const errorCount = sum([
      ...errors.values(),
    ])
    const several = servers.length > 1
    const rows: [string, string][] = [
      [
        'CPU cores (server and load share them)',
        String(cpus().length),
      ],
      ...several
        ? [
            ['poll servers', `${servers.length} on one Redis`] as [string, string],
          ]
        : [],
      ['SSE listeners', `${LISTENERS}, connected in ${connectSeconds.toFixed(1)} s`],
      ['voting clients', `${VOTERS} for ${voteSeconds.toFixed(1)} s`],
      ['acknowledged votes', `${acked.length} (${Math.round(acked.length / voteSeconds)}/s)`],
      [
        'votes counted by the server',
        several
          ? `${finals.join(' / ')} (each server)`
          : String(final.total),
      ],
      [
        'errors',
        errorCount === 0
          ? '0'
          : `${errorCount} (${[...errors].map(([key, count]) => `${key}: ${count}`).join(', ')})`,
      ],
      ['vote → 201 p50 / p99', `${ackLatency.percentile(0.5)} / ${ackLatency.percentile(0.99)} ms`],
      ['vote → event p50 / p99 / max', `${latency.percentile(0.5)} / ${latency.percentile(0.99)} / ${latency.percentile(1)} ms, over ${latency.total} vote×listener pairs`],
      [
        'votes a listener never saw',
        String(unseen),
      ],
      ['listeners at the final tally', `${inSync()}/${LISTENERS}`],
      [
        several ? 'server RSS (all servers)' : 'server RSS',
        `${rssIdle.toFixed(0)} MB idle, ${rssListening.toFixed(0)} MB listening, ${rssPeak.toFixed(0)} MB peak`,
      ],
      ['CPU while voting (100% = 1 core)', `server${several ? 's' : ''} ${(cpuServer * 100).toFixed(0)}%, ${redisPid
        ? `redis-server ${(cpuRedis * 100).toFixed(0)}%, `
        : ''}load generator ${(cpuSelf * 100).toFixed(0)}%, rest of the machine ${(cpuOthers * 100).toFixed(0)}%`],
    ]
    const width = Math.max(...rows.map(([label]) => label.length))
    console.log(`\n${rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n')}`)

    for (const listener of listeners)
      listener.response?.destroy()
    sseAgent.destroy()
    voteAgent.destroy()
    control.destroy()
    return {
      scenario,
      votesPerSecond: Math.round(acked.length / voteSeconds),
      ackP99: ackLatency.percentile(0.99),
      eventP99: latency.percentile(0.99),
      errors: errorCount,
      inSync: `${inSync()}/${LISTENERS}`,
      ok: errorCount === 0 && unseen === 0 && finals.every(total => total === acked.length),
    }
  }
  finally {
    await Promise.all(servers.map(server => server.stop()))
    await redis?.remove()
  }
}

const outcomes: Outcome[] = []
for (const scenario of chosen)
  outcomes.push(await run(scenario))

if (outcomes.length > 1) {
  const table = [
    [
      '',
      'votes/s',
      'vote → 201 p99',
      'vote → event p99',
      'errors',
      'at final tally',
    ],
    ...outcomes.map(outcome => [
      outcome.scenario.label,
      String(outcome.votesPerSecond),
      `${outcome.ackP99} ms`,
      `${outcome.eventP99} ms`,
      String(outcome.errors),
      outcome.inSync,
    ]),
  ]
  const widths = table[0]!.map((_, column) => Math.max(...table.map(row => row[column]!.length)))
  console.log(`\nSummary (${LISTENERS} listeners, ${VOTERS} voting clients, ${DURATION_S} s each, one run, ${cpus().length} cores shared with the load generator):`)
  for (const row of table) {
    console.log(`  ${row.map((cell, column) => column === 0
      ? cell.padEnd(widths[column]!)
      : cell.padStart(widths[column]!)).join('  ')}`)
  }
}
if (outcomes.some(outcome => !outcome.ok))
  process.exitCode = 1
