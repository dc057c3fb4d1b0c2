/**
 * `npm run bench:polls`: the real poll server on loopback under load. Stops by itself.
 *
 * Modes (`--mode`, or BENCH_MODE; several with commas; default `sqlite,phones`):
 *   sqlite   the storm: N listeners on the poll's fast stream (the slide, the presenter) and M voting clients for
 *            D seconds, one server on SQLite (what a speaker's laptop runs)
 *   redis    the same on one server on Redis (a redis-server started for the run: AOF, appendfsync always)
 *   redis3   three servers sharing that Redis; listeners and voting clients spread round-robin over them
 *   phones   the keynote: 2,000, 5,000 and 10,000 phones (`--phones`) holding exactly what the voting page holds,
 *            one projector on the fast stream and 30 voting clients (`--phone-voters`); see bench-phones.ts
 *   all      every mode above, one after the other
 *   proxy    Caddy over HTTPS → two servers → Redis, next to straight to the two (scripts/bench-polls-proxy.ts)
 *   hostile  the default limits in a hostile room (scripts/bench-hostile.ts; its settings are described there)
 *   ideas    the idea wall: 200 ideas, 2,000 listeners on the slide, 20,000 lifts (scripts/bench-ideas.ts)
 *
 *   node scripts/bench-polls.ts --listeners 2000 --voters 50 --duration 10
 *   npm run bench:polls -- --mode phones --phones 10000
 *   BENCH_CPU_PROF=/tmp/prof npm run bench:polls -- --mode phones --phones 10000   # a .cpuprofile per server thread
 *
 * The storm measures, for every vote at every listener, the time from sending the vote to the listener receiving
 * the event that counts it (poll-load.ts says how). 10,000 phones need that many open files in the benchmark and
 * in the server: Node raises its limit to the hard limit by itself; a lower hard limit stops the run with a message.
 */
import type { PollServer } from '../tools/poll-server-process.ts'
import type { RedisServer } from '../tools/redis-process.ts'
import type { PhonesOutcome } from './bench-phones.ts'
import type { Crowd } from './poll-load.ts'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Agent } from 'node:http'
import { cpus } from 'node:os'
import process from 'node:process'
import { parseArgs } from 'node:util'
import { WORD_CLOUD_MAX } from '../polls/kinds/words/index.ts'
import { startPollServer } from '../tools/poll-server-process.ts'
import { startRedis } from '../tools/redis-process.ts'
import { sleep, waitFor } from '../tools/wait.ts'
import { runPhones } from './bench-phones.ts'
import { measureLoopbackWrite } from './loopback-gauge.ts'
import { cpuWatch, eventLatency, formatCpu, formatErrors, percentOfCore, POLL, printRows, printTable, processMemoryMb, runVoters, setPollState, startCrowd, sum, WARM_UP_S } from './poll-load.ts'

const { values: flags } = parseArgs({
  options: {
    'listeners': { type: 'string' },
    'voters': { type: 'string' },
    'duration': { type: 'string' },
    'mode': { type: 'string' },
    'phones': { type: 'string' },
    'phone-voters': { type: 'string' },
  },
})

function setting(flag: string | undefined, env: string, fallback: number): number {
  const value = Number(flag ?? process.env[env] ?? fallback)
  if (!Number.isFinite(value) || value < 0)
    throw new Error(`${env} (or its flag) must be a number ≥ 0`)
  return value
}

type StormMode = 'sqlite' | 'redis' | 'redis3'

interface Scenario {
  mode: StormMode
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
const MODE_FLAG = flags.mode ?? process.env.BENCH_MODE
if (MODE_FLAG === 'proxy') {
  const { benchPollsThroughProxy } = await import('./bench-polls-proxy.ts')
  process.exit(await benchPollsThroughProxy({ listeners: LISTENERS, voters: VOTERS, durationS: DURATION_S })
    ? 0
    : 1)
}
if (MODE_FLAG === 'ideas') {
  // The idea wall: 200 ideas, 2,000 listeners, 20,000 lifts (scripts/bench-ideas.ts).
  await import('./bench-ideas.ts')
  process.exit()
}
if (MODE_FLAG === 'hostile') {
  // A benchmark of its own: the default limits against a hostile room.
  await import('./bench-hostile.ts')
  process.exit()
}
const PHONES = (flags.phones ?? process.env.BENCH_PHONES ?? '2000,5000,10000').split(',').map(count => Math.round(setting(count, 'BENCH_PHONES', 0)))
const PHONE_VOTERS = Math.round(setting(flags['phone-voters'], 'BENCH_PHONE_VOTERS', 30))
const MODES = (MODE_FLAG ?? 'sqlite,phones').split(',').flatMap(mode => mode === 'all'
  ? [
      ...SCENARIOS.map(scenario => scenario.mode),
      'phones',
    ]
  : [mode])
for (const voters of [VOTERS, PHONE_VOTERS]) {
  if (voters < 1 || voters > WORD_CLOUD_MAX)
    throw new Error(`Voting clients must be 1–${WORD_CLOUD_MAX}: each needs its own word among the ${WORD_CLOUD_MAX} a status lists.`)
}
const storms = SCENARIOS.filter(scenario => MODES.includes(scenario.mode))
const phoneCounts = MODES.includes('phones')
  ? PHONES
  : []
const unknown = MODES.filter(mode => mode !== 'phones' && !SCENARIOS.some(scenario => scenario.mode === mode))
if (unknown.length > 0)
  throw new Error(`Unknown --mode «${unknown.join(',')}»: use sqlite, redis, redis3, phones, all, proxy, hostile or ideas.`)

/** This process's limit on open files (Linux). Node raises it to the hard limit at start, and so do the servers. */
function openFileLimit(): number {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find(row => row.startsWith('Max open files'))!
  const soft = line.split(/\s{2,}/)[1]!
  return soft === 'unlimited'
    ? Number.POSITIVE_INFINITY
    : Number(soft)
}

/** Every listener and phone is an open socket here and in the server: below that, only an administrator can help. */
function ensureOpenFiles(needed: number): void {
  const limit = openFileLimit()
  if (limit >= needed)
    return
  console.error(`This run needs ${needed} open files per process; the hard limit is ${limit}. Raise it (as root: «ulimit -Hn ${needed}», or nofile in /etc/security/limits.conf) and run again.`)
  process.exit(1)
}

ensureOpenFiles(Math.max(storms.length > 0
  ? LISTENERS
  : 0, ...phoneCounts) + 1000)

// Bounded in time whatever happens.
setTimeout(() => {
  console.error('The benchmark took too long; stopping.')
  process.exit(1)
}, (DURATION_S + 120) * 1000 * (storms.length + phoneCounts.length)).unref()

/** BENCH_CPU_PROF=dir: every server process writes a CPU profile per thread there when it stops. */
const profiling: Record<string, string> = process.env.BENCH_CPU_PROF
  ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_CPU_PROF}` }
  : {}

interface StormOutcome {
  scenario: Scenario
  votesPerSecond: number
  ackP99: number
  eventP99: number
  /** The same after the first WARM_UP_S seconds. */
  warmEventP99: number
  errors: number
  inSync: string
  /** CPU the host took while voting (steal time), 1 = one core. */
  stolen: number
  /** What one write to a loopback socket cost just before the run (loopback-gauge.ts). */
  loopbackWriteUs: number
  ok: boolean
}

/** Starts what the scenario needs: a Redis when it uses one, and its servers. */
async function startServers(scenario: Scenario): Promise<{ servers: PollServer[], redis?: RedisServer }> {
  const redis = scenario.store === 'redis'
    ? await startRedis()
    : undefined
  const token = randomBytes(12).toString('hex')
  const env: Record<string, string> = { POLL_RATE_LIMITS: 'off', POLL_TOKEN: token, ...profiling }
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

async function runStorm(scenario: Scenario): Promise<StormOutcome> {
  const spread = scenario.nodes > 1
    ? ', listeners and voting clients spread round-robin'
    : ''
  console.log(`\nPoll server benchmark (${scenario.label}${spread}): ${LISTENERS} SSE listeners on the fast stream, ${VOTERS} voting clients, ${DURATION_S} s, poll «${POLL}» …`)
  const loopbackWriteUs = await measureLoopbackWrite(LISTENERS)
  const { servers, redis } = await startServers(scenario)
  const serverFor = (index: number) => servers[index % servers.length]!
  const pids = servers.map(server => server.pid)
  const memory = () => sum(pids.map(processMemoryMb))
  let crowd: Crowd | undefined
  try {
    const control = new Agent({ keepAlive: true, maxSockets: 2 })
    await setPollState(servers[0]!, control, 'open')
    const rssIdle = memory()

    // The listeners read their streams in a worker thread, the voting clients run on this one.
    crowd = await startCrowd({
      urls: servers.map(server => server.url),
      path: `/api/polls/${POLL}/events`,
      listeners: LISTENERS,
      voters: VOTERS,
    })
    const listening = crowd
    const rssListening = memory()

    let rssPeak = rssListening
    const rssTimer = setInterval(() => rssPeak = Math.max(rssPeak, memory()), 250)
    const cpu = cpuWatch(pids, redis?.pid())
    const voting = await runVoters(serverFor, VOTERS, DURATION_S)
    const shares = cpu()
    const { acked } = voting

    // Let the last events arrive, then check every listener reached the final tally (on whichever server).
    const finals = await Promise.all(servers.map(async server => (await (await fetch(`${server.url}/api/polls/${POLL}`)).json() as { total: number }).total))
    const final = Math.max(...finals)
    let inSync = 0
    await waitFor(async () => {
      inSync = (await listening.progress(final)).atTotal
      return inSync === LISTENERS && final === acked.length
    }, 5000)
    clearInterval(rssTimer)

    const { listeners, book } = await listening.history()
    const { latency, afterWarmUp, bySecond, unseen } = eventLatency(listeners, acked, book)
    const errorCount = sum([
      ...voting.errors.values(),
    ])
    const several = servers.length > 1
    printRows([
      [
        'CPU cores (server and load share them)',
        String(cpus().length),
      ],
      ...several
        ? [
            ['poll servers', `${servers.length} on one Redis`] as [string, string],
          ]
        : [],
      ['machine now: 1 kB to each of as many loopback sockets', `${loopbackWriteUs.toFixed(1)} µs a write (p50 of 40 rounds, before the run)`],
      ['SSE listeners', `${listening.connected.connected} of ${LISTENERS}, connected in ${listening.connected.seconds.toFixed(1)} s`],
      ['voting clients', `${VOTERS} for ${voting.seconds.toFixed(1)} s`],
      ['acknowledged votes', `${acked.length} (${Math.round(acked.length / voting.seconds)}/s)`],
      [
        'votes counted by the server',
        several
          ? `${finals.join(' / ')} (each server)`
          : String(final),
      ],
      [
        'errors',
        formatErrors(voting.errors),
      ],
      ['vote → 201 p50 / p99', `${voting.ackLatency.percentile(0.5)} / ${voting.ackLatency.percentile(0.99)} ms`],
      ['vote → event p50 / p99 / max', `${latency.percentile(0.5)} / ${latency.percentile(0.99)} / ${latency.percentile(1)} ms, over ${latency.total} vote×listener pairs`],
      [`vote → event p99 after the first ${WARM_UP_S} s`, `${afterWarmUp.percentile(0.99)} ms (the server's hot paths compiled)`],
      ['vote → event p99, second by second', `${Array.from(bySecond, second => second?.percentile(0.99) ?? '–').join(' · ')} ms`],
      [
        'votes a listener never saw',
        String(unseen),
      ],
      ['listeners at the final tally', `${inSync}/${LISTENERS}`],
      [
        several ? 'server RSS (all servers)' : 'server RSS',
        `${rssIdle.toFixed(0)} MB idle, ${rssListening.toFixed(0)} MB listening, ${rssPeak.toFixed(0)} MB peak`,
      ],
      [
        'CPU while voting (100% = 1 core)',
        formatCpu(shares, servers.length, redis !== undefined),
      ],
    ])

    control.destroy()
    return {
      scenario,
      votesPerSecond: Math.round(acked.length / voting.seconds),
      ackP99: voting.ackLatency.percentile(0.99),
      eventP99: latency.percentile(0.99),
      warmEventP99: afterWarmUp.percentile(0.99),
      errors: errorCount,
      inSync: `${inSync}/${LISTENERS}`,
      stolen: shares.stolen,
      loopbackWriteUs,
      ok: errorCount === 0 && unseen === 0 && finals.every(total => total === acked.length),
    }
  }
  finally {
    await Promise.all(servers.map(server => server.stop()))
    await crowd?.close()
    await redis?.remove()
  }
}

const stormOutcomes: StormOutcome[] = []
for (const scenario of storms)
  stormOutcomes.push(await runStorm(scenario))
const phoneOutcomes: PhonesOutcome[] = []
for (const phones of phoneCounts) {
  // Sockets the previous run closed leave the kernel's tables before the next one opens thousands more.
  if (stormOutcomes.length + phoneOutcomes.length > 0)
    await sleep(2000)
  phoneOutcomes.push(await runPhones(phones, PHONE_VOTERS, DURATION_S, profiling))
}

const shared = `one run each, ${cpus().length} cores shared with the load generator`
if (stormOutcomes.length > 0) {
  printTable(`Storm on the fast stream (${LISTENERS} listeners, ${VOTERS} voting clients, ${DURATION_S} s, ${shared}; target at 2,000 listeners: vote → event p99 ≤ 85 ms):`, [
    [
      '',
      'votes/s',
      'vote → 201 p99',
      'vote → event p99',
      `p99 after ${WARM_UP_S} s`,
      'errors',
      'at final tally',
      'CPU taken by the host',
      'loopback write',
    ],
    ...stormOutcomes.map(outcome => [
      outcome.scenario.label,
      String(outcome.votesPerSecond),
      `${outcome.ackP99} ms`,
      `${outcome.eventP99} ms`,
      `${outcome.warmEventP99} ms`,
      String(outcome.errors),
      outcome.inSync,
      `${percentOfCore(outcome.stolen)} of a core`,
      `${outcome.loopbackWriteUs.toFixed(1)} µs`,
    ]),
  ])
}
if (phoneOutcomes.length > 0) {
  const ms = (value: number | undefined) => value === undefined
    ? 'never'
    : `${value} ms`
  printTable(`Keynote (1 server, SQLite; phones on /api/events, 1 projector on the fast stream, ${PHONE_VOTERS} voting clients, ${DURATION_S} s, ${shared};\ntargets at 10,000 phones: ≥ 1,000 votes/s, 201 and projector p99 ≤ 250 ms, none dropped, every phone final within 2 s):`, [
    [
      'phones',
      'votes/s',
      'vote → 201 p99',
      'vote → projector p99',
      'phones dropped',
      'last vote → every phone final',
      'close → every phone told',
      'CPU taken by the host',
    ],
    ...phoneOutcomes.map(outcome => [
      outcome.phones.toLocaleString('en'),
      String(outcome.votesPerSecond),
      `${outcome.ackP99} ms`,
      `${outcome.projectorP99} ms`,
      String(outcome.dropped),
      ms(outcome.finalTallyMs),
      ms(outcome.closedMs),
      `${percentOfCore(outcome.stolen)} of a core`,
    ]),
  ])
}
if ([
  ...stormOutcomes,
  ...phoneOutcomes,
].some(outcome => !outcome.ok)) {
  process.exitCode = 1
}
