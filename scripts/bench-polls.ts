/**
 * `npm run bench:polls`: the real poll server on loopback under N SSE listeners and M voting clients for D seconds.
 * Prints acknowledged votes/s, vote→event latency, errors, server RSS and CPU. Stops by itself.
 *
 *   node scripts/bench-polls.ts --listeners 2000 --voters 50 --duration 10
 *   BENCH_LISTENERS=2000 BENCH_VOTERS=50 BENCH_DURATION=10 npm run bench:polls
 *
 * Latency is an upper bound, measured at every listener: a vote counts as seen once a listener's `tally` has a
 * total at least the number of votes sent to that poll before the vote's 201 arrived (votes use fresh voter
 * ids, so totals only grow and every vote committed before it is included).
 */
import type { IncomingMessage } from 'node:http'
import type { PollServer } from '../tests/integration/server-process.ts'
import { Buffer } from 'node:buffer'
import { readFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { cpus } from 'node:os'
import process from 'node:process'
import { parseArgs } from 'node:util'
import { startPollServer } from '../tests/integration/server-process.ts'

const { values: flags } = parseArgs({
  options: {
    listeners: { type: 'string' },
    voters: { type: 'string' },
    duration: { type: 'string' },
    polls: { type: 'string' },
  },
})

function setting(flag: string | undefined, env: string, fallback: number): number {
  const value = Number(flag ?? process.env[env] ?? fallback)
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${env} / --${env.slice(6).toLowerCase()} must be a number ≥ 0`)
  return value
}

const LISTENERS = Math.round(setting(flags.listeners, 'BENCH_LISTENERS', 2000))
const VOTERS = Math.max(1, Math.round(setting(flags.voters, 'BENCH_VOTERS', 50)))
const DURATION_S = setting(flags.duration, 'BENCH_DURATION', 10)
const POLL_IDS = (flags.polls ?? process.env.BENCH_POLLS ?? 'forstyrret,paradigme,dristig,rundt-bordet').split(',')
const CHOICES: Record<string, unknown[]> = {
  'forstyrret': ['ja', 'delvis', 'nei'],
  'paradigme': ['planlegging', 'npm', 'samskaping'],
  'dristig': [1, 2, 3, 4, 5],
  'rundt-bordet': [
    ['unge'],
    ['unge', 'forskere'],
    ['fagfolk', 'frivillige', 'naringsliv'],
  ],
  'dugnad-eller-samskaping': ['samskaping', 'dugnad'],
}
for (const id of POLL_IDS) {
  if (!CHOICES[id])
    throw new Error(`Unknown or unsupported poll for the benchmark: ${id}`)
}

// Bounded in time whatever happens.
const hardStop = setTimeout(() => {
  console.error('Benchmark took too long; stopping.')
  process.exit(1)
}, (DURATION_S + 90) * 1000)
hardStop.unref()

interface Listener {
  pollId: string
  times: number[]
  totals: number[]
  response?: IncomingMessage
}

interface AckedVote {
  pollId: string
  sentAt: number
  /** Votes sent to the poll before this vote's acknowledgement arrived. */
  mustSee: number
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

function serverMemoryMb(pid: number): number {
  const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m)
  return match
    ? Number(match[1]) / 1024
    : Number.NaN
}

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/** Busy CPU seconds of the whole machine (all processes), from /proc/stat. */
function machineBusySeconds(): number {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
  return (user! + nice! + system! + irq! + softirq! + steal!) / 100
}

function openListener(server: PollServer, listener: Listener, agent: Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}/api/polls/${listener.pollId}/events`, {
      agent,
      headers: { accept: 'text/event-stream' },
    }, (response) => {
      if (response.statusCode !== 200)
        return reject(new Error(`SSE answered ${response.statusCode}`))
      listener.response = response
      response.setEncoding('utf8')
      let buffer = ''
      response.on('data', (chunk: string) => {
        buffer += chunk
        let end = buffer.indexOf('\n\n')
        while (end !== -1) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          end = buffer.indexOf('\n\n')
          const total = block.startsWith('event: tally')
            ? block.match(/"total":(\d+)/)
            : null
          if (total) {
            listener.times.push(performance.now())
            listener.totals.push(Number(total[1]))
            if (listener.totals.length === 1)
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

/** The first index whose total reaches `target` (totals never decrease), or -1. */
function firstReaching(totals: number[], target: number): number {
  let low = 0
  let high = totals.length
  while (low < high) {
    const middle = (low + high) >> 1
    if (totals[middle]! >= target)
      high = middle
    else
      low = middle + 1
  }
  return low < totals.length
    ? low
    : -1
}

function percentile(histogram: Uint32Array, count: number, fraction: number): number {
  const rank = Math.ceil(count * fraction)
  let seen = 0
  for (let ms = 0; ms < histogram.length; ms++) {
    seen += histogram[ms]!
    if (seen >= rank)
      return ms
  }
  return histogram.length
}

async function main(): Promise<void> {
  console.log(`Starting the poll server (listeners ${LISTENERS}, voters ${VOTERS}, ${DURATION_S} s, polls ${POLL_IDS.join(', ')}) …`)
  const server = await startPollServer({
    env: { POLL_RATE_PER_IP: '0', POLL_RATE_PER_VOTER: '0' },
  })
  try {
    const control = new Agent({ keepAlive: true, maxSockets: 4 })
    for (const id of POLL_IDS) {
      if (await post(server, control, `/api/polls/${id}/state`, { state: 'open' }, server.token) !== 200)
        throw new Error(`Could not open poll ${id}`)
    }
    const rssIdle = serverMemoryMb(server.pid)

    const sseAgent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY })
    const listeners: Listener[] = Array.from({ length: LISTENERS }, (_, index) => ({ pollId: POLL_IDS[index % POLL_IDS.length]!, times: [], totals: [] }))
    const connectStart = performance.now()
    for (let index = 0; index < listeners.length; index += 200)
      await Promise.all(listeners.slice(index, index + 200).map(listener => openListener(server, listener, sseAgent)))
    const connectSeconds = (performance.now() - connectStart) / 1000
    const rssListening = serverMemoryMb(server.pid)

    const voteAgent = new Agent({ keepAlive: true, maxSockets: VOTERS })
    const sent = new Map(POLL_IDS.map(id => [id, 0]))
    const acked: AckedVote[] = []
    const errors = new Map<string, number>()
    let rssPeak = rssListening
    const rssTimer = setInterval(() => rssPeak = Math.max(rssPeak, serverMemoryMb(server.pid)), 250)
    const cpuServerStart = cpuSeconds(server.pid)
    const cpuSelfStart = process.cpuUsage()
    const cpuMachineStart = machineBusySeconds()
    const started = performance.now()
    const deadline = started + DURATION_S * 1000
    let sequence = 0

    await Promise.all(Array.from({ length: VOTERS }, async (_, client) => {
      while (performance.now() < deadline) {
        const pollId = POLL_IDS[sequence % POLL_IDS.length]!
        const options = CHOICES[pollId]!
        const number = ++sequence
        sent.set(pollId, sent.get(pollId)! + 1)
        const sentAt = performance.now()
        try {
          const status = await post(server, voteAgent, `/api/polls/${pollId}/votes`, {
            voter: `bench-${client}-${number}`,
            choice: options[number % options.length],
          })
          if (status === 201) {
            acked.push({
              pollId,
              sentAt,
              mustSee: sent.get(pollId)!,
            })
          }
          else {
            errors.set(`HTTP ${status}`, (errors.get(`HTTP ${status}`) ?? 0) + 1)
          }
        }
        catch (error) {
          const key = (error as NodeJS.ErrnoException).code ?? String(error)
          errors.set(key, (errors.get(key) ?? 0) + 1)
        }
      }
    }))
    const voteSeconds = (performance.now() - started) / 1000
    const cpuServer = (cpuSeconds(server.pid) - cpuServerStart) / voteSeconds
    const cpuSelfUsage = process.cpuUsage(cpuSelfStart)
    const cpuSelf = (cpuSelfUsage.user + cpuSelfUsage.system) / 1e6 / voteSeconds
    const cpuOthers = Math.max(0, (machineBusySeconds() - cpuMachineStart) / voteSeconds - cpuServer - cpuSelf)

    // Let the last events arrive, then check every listener reached its poll's final total.
    const finalTotals = new Map<string, number>()
    for (const id of POLL_IDS) {
      const response = await fetch(`${server.url}/api/polls/${id}`)
      finalTotals.set(id, (await response.json() as { total: number }).total)
    }
    const inSync = () => listeners.filter(listener => listener.totals.at(-1) === finalTotals.get(listener.pollId)).length
    for (let waited = 0; waited < 5000 && inSync() < listeners.length; waited += 50)
      await sleep(50)
    clearInterval(rssTimer)

    const histogram = new Uint32Array(10_000)
    let pairs = 0
    let unseen = 0
    const byPoll = new Map(POLL_IDS.map(id => [
      id,
      acked.filter(vote => vote.pollId === id),
    ]))
    for (const listener of listeners) {
      for (const vote of byPoll.get(listener.pollId)!) {
        const index = firstReaching(listener.totals, vote.mustSee)
        if (index === -1) {
          unseen++
          continue
        }
        const latency = Math.max(0, Math.round(listener.times[index]! - vote.sentAt))
        histogram[Math.min(latency, histogram.length - 1)]!++
        pairs++
      }
    }
    const finalSum = [
      ...finalTotals.values(),
    ].reduce((sum, total) => sum + total, 0)
    const errorCount = [
      ...errors.values(),
    ].reduce((sum, count) => sum + count, 0)
    const rows: [string, string][] = [
      [
        'CPU cores (shared by server and load)',
        String(cpus().length),
      ],
      ['SSE listeners', `${LISTENERS} on ${POLL_IDS.length} poll(s), connected in ${connectSeconds.toFixed(1)} s`],
      ['voting clients', `${VOTERS} for ${voteSeconds.toFixed(1)} s`],
      ['acknowledged votes', `${acked.length} (${Math.round(acked.length / voteSeconds)}/s)`],
      ['votes counted by the server', `${finalSum}`],
      [
        'errors',
        errorCount === 0
          ? '0'
          : `${errorCount} (${[...errors].map(([key, count]) => `${key}: ${count}`).join(', ')})`,
      ],
      [
        'vote→event p50 / p99 / max',
        pairs
          ? `${percentile(histogram, pairs, 0.5)} / ${percentile(histogram, pairs, 0.99)} / ${percentile(histogram, pairs, 1)} ms (${pairs} vote×listener pairs)`
          : 'n/a',
      ],
      [
        'votes a listener never saw',
        String(unseen),
      ],
      ['listeners at the final tally', `${inSync()}/${LISTENERS}`],
      ['server RSS', `${rssIdle.toFixed(0)} MB idle, ${rssListening.toFixed(0)} MB listening, ${rssPeak.toFixed(0)} MB peak`],
      ['CPU while voting (100% = 1 core)', `server ${(cpuServer * 100).toFixed(0)}%, load generator ${(cpuSelf * 100).toFixed(0)}%, other processes ${(cpuOthers * 100).toFixed(0)}%`],
    ]
    const width = Math.max(...rows.map(([label]) => label.length))
    console.log(`\nPoll server benchmark (loopback)\n${rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n')}`)

    for (const listener of listeners)
      listener.response?.destroy()
    sseAgent.destroy()
    voteAgent.destroy()
    control.destroy()
    const failed = errorCount > 0 || unseen > 0 || finalSum !== acked.length
    if (failed)
      process.exitCode = 1
  }
  finally {
    await server.stop()
  }
}

await main()
