/**
 * `npm run bench:polls -- --mode hostile` (or `node scripts/bench-hostile.ts`): the poll server with its default
 * limits in a hostile room, on loopback, each client on its own 127.x.y.z source address:
 *
 *  1. legitimate phones vote and visitors load pages, first in a quiet room, then while a hostile client holds its
 *     maximum of event streams and keeps asking for more: vote → 201 and page-load times (p50 / p99);
 *  2. a script inventing a new voter id per request from one address: votes the server counted per minute
 *     (target ≤ 600);
 *  3. with the settings README gives for an audience behind one shared address, that many phones from one address
 *     load the voting page, listen (one stream each, as the page does) and vote: all within 60 s, no error?
 *
 * Settings (environment): BENCH_HOSTILE_PHONES (50), BENCH_PHASE_SECONDS (15, each of quiet and attacked),
 * BENCH_ROTATOR_SECONDS (60), BENCH_SHARED_CLIENTS (500), BENCH_ARRIVAL_SECONDS (30, over which they arrive).
 * Serves dist/ (DIST_DIR) when it is built, else a tiny page. One run, on a machine shared with the load generator.
 */
import type { IncomingMessage } from 'node:http'
import type { PollServer } from '../tools/poll-server-process.ts'
import { Buffer } from 'node:buffer'
import { existsSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { cpus } from 'node:os'
import { join, resolve } from 'node:path'
import process from 'node:process'
import { startPollServer } from '../tools/poll-server-process.ts'
import { takeSseBlocks } from '../tools/sse-blocks.ts'

function setting(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback)
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a whole number ≥ 1`)
  return value
}

const PHONES = setting('BENCH_HOSTILE_PHONES', 50)
const PHASE_S = setting('BENCH_PHASE_SECONDS', 15)
const ROTATOR_S = setting('BENCH_ROTATOR_SECONDS', 60)
const SHARED_CLIENTS = setting('BENCH_SHARED_CLIENTS', 500)
const ARRIVAL_S = setting('BENCH_ARRIVAL_SECONDS', 30)
const SHARED_DEADLINE_S = 60
const ROTATOR_TARGET_PER_MINUTE = 600
/** The README's advice for one shared address: streams ≥ audience (a voting page holds one), new voters ≥ audience. */
const SHARED_ENV = {
  POLL_RATE_STREAMS: String(SHARED_CLIENTS),
  POLL_RATE_NEW_VOTERS: String(SHARED_CLIENTS),
}
const DIST_DIR = resolve(process.env.DIST_DIR ?? 'dist')
const BUILT = existsSync(join(DIST_DIR, 'vote', 'index.html'))
const CHOICE_POLL = 'forstyrret'
const CHOICES = ['ja', 'delvis', 'nei']
/** Votes per voter id per window by default is 10 per 10 s: a phone changing its mind stays below. */
const PHONE_VOTE_INTERVAL_MS = 1200

const HOSTILE = '127.0.0.2'
const SHARED = '127.0.0.3'
const ROTATOR = '127.0.0.4'
const phoneAddress = (index: number) => `127.0.1.${1 + (index % 250)}`
const visitorAddress = (index: number) => `127.0.2.${1 + (index % 250)}`

setTimeout(() => {
  console.error('The hostile-room benchmark took too long; stopping.')
  process.exit(1)
}, (2 * PHASE_S + ROTATOR_S + SHARED_DEADLINE_S + 180) * 1000).unref()

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0)
    return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * fraction) - 1))]!
}

const ms = (value: number) => `${Math.round(value)} ms`
const spread = (values: readonly number[]) => `${ms(percentile(values, 0.5))} / ${ms(percentile(values, 0.99))}`

function agentFrom(localAddress: string, keepAlive = true): Agent {
  return new Agent({
    keepAlive,
    localAddress,
    maxSockets: keepAlive ? 8 : Number.POSITIVE_INFINITY,
  })
}

interface Answer { status: number, body: string }

function send(server: PollServer, agent: Agent, path: string, options: { method?: string, body?: unknown, token?: string } = {}): Promise<Answer> {
  const payload = options.body === undefined
    ? undefined
    : JSON.stringify(options.body)
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, {
      agent,
      method: options.method ?? 'GET',
      headers: {
        'accept-encoding': 'br, gzip',
        ...payload === undefined
          ? {}
          : {
              'content-type': 'application/json',
              'content-length': String(Buffer.byteLength(payload)),
            },
        ...options.token
          ? { authorization: `Bearer ${options.token}` }
          : {},
      },
    }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => resolve({
        status: response.statusCode ?? 0,
        body: Buffer.concat(chunks).toString('latin1'),
      }))
      response.on('error', reject)
    })
    req.on('error', reject)
    req.end(payload)
  })
}

/** The presenter's and the benchmark's own requests, on connections that are not kept. */
const control = new Agent({ keepAlive: false, localAddress: '127.0.0.1' })

async function setState(server: PollServer, poll: string, state: 'open' | 'closed'): Promise<void> {
  const answer = await send(server, control, `/api/polls/${poll}/state`, {
    method: 'POST',
    body: { state },
    token: server.token,
  })
  if (answer.status !== 200)
    throw new Error(`Could not ${state} ${poll}: HTTP ${answer.status}`)
}

async function counted(server: PollServer, poll: string): Promise<number> {
  return (JSON.parse((await send(server, control, `/api/polls/${poll}`)).body) as { total: number }).total
}

/** A page and every file it names from this server (scripts, styles, fonts, icons), as a first visit fetches them. */
async function loadPage(server: PollServer, agent: Agent, path: string): Promise<number> {
  const started = performance.now()
  const page = await send(server, agent, path)
  if (page.status !== 200)
    throw new Error(`HTTP ${page.status} for ${path}`)
  const files = [
    ...new Set([
      ...page.body.matchAll(/(?:src|href)="(\/[^"/][^"]*)"/g),
    ].map(match => match[1]!)),
  ]
  const answers = await Promise.all(files.map(file => send(server, agent, file)))
  const failed = answers.find(answer => answer.status !== 200)
  if (failed)
    throw new Error(`HTTP ${failed.status} for a file of ${path}`)
  return performance.now() - started
}

interface Stream {
  status: number
  /** Resolves with the data of the first event of this name (from now on, or already received). */
  next: (event: string, match?: (data: string) => boolean) => Promise<string>
  close: () => void
}

function openStream(server: PollServer, agent: Agent, path: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const received: [string, string][] = []
    const waiting = new Set<() => void>()
    let response: IncomingMessage | undefined
    const req = request(`${server.url}${path}`, {
      agent,
      headers: { accept: 'text/event-stream' },
    }, (answer) => {
      response = answer
      const next: Stream['next'] = (event, match = () => true) => new Promise((found) => {
        const check = () => {
          const hit = received.find(([name, data]) => name === event && match(data))
          if (hit) {
            waiting.delete(check)
            found(hit[1])
          }
        }
        waiting.add(check)
        check()
      })
      const close = () => {
        answer.destroy()
        req.destroy()
      }
      if (answer.statusCode !== 200) {
        answer.resume()
        resolve({ status: answer.statusCode ?? 0, next, close })
        return
      }
      let buffer = ''
      answer.setEncoding('utf8').on('data', (chunk: string) => {
        const taken = takeSseBlocks(buffer + chunk)
        buffer = taken.rest
        for (const block of taken.blocks) {
          const event = block.match(/^event: (.+)$/m)?.[1]
          const data = block.match(/^data: (.*)$/m)?.[1]
          if (event && data !== undefined)
            received.push([event, data])
        }
        // Only the newest events matter to a waiter; older ones go, so a long stream does not pile up.
        if (received.length > 64)
          received.splice(0, received.length - 64)
        waiting.forEach(check => check())
      })
      answer.on('error', () => {})
      resolve({ status: 200, next, close })
    })
    req.on('error', (error) => {
      if (!response)
        reject(error)
    })
    req.end()
  })
}

// ─── Part 1: legitimate phones while a hostile client holds its streams ───────────────────────────────────────────

interface PhaseResult {
  votes: number[]
  deckLoads: number[]
  voteLoads: number[]
  errors: Map<string, number>
}

function countError(errors: Map<string, number>, key: string): void {
  errors.set(key, (errors.get(key) ?? 0) + 1)
}

async function legitimateTraffic(server: PollServer, seconds: number): Promise<PhaseResult> {
  const result: PhaseResult = {
    votes: [],
    deckLoads: [],
    voteLoads: [],
    errors: new Map(),
  }
  const deadline = performance.now() + seconds * 1000
  const phones = Array.from({ length: PHONES }, async (_, index) => {
    const agent = agentFrom(phoneAddress(index))
    const voter = `telefon-${index}-${Math.random().toString(36).slice(2, 10)}`
    await sleep(Math.random() * PHONE_VOTE_INTERVAL_MS)
    for (let round = 0; performance.now() < deadline; round++) {
      const started = performance.now()
      try {
        const answer = await send(server, agent, `/api/polls/${CHOICE_POLL}/votes`, {
          method: 'POST',
          body: { voter, choice: CHOICES[round % CHOICES.length] },
        })
        if (answer.status === 201)
          result.votes.push(performance.now() - started)
        else
          countError(result.errors, `vote HTTP ${answer.status}`)
      }
      catch (error) {
        countError(result.errors, `vote ${(error as NodeJS.ErrnoException).code ?? error}`)
      }
      await sleep(Math.max(0, PHONE_VOTE_INTERVAL_MS - (performance.now() - started)))
    }
    agent.destroy()
  })
  const visitors = Array.from({ length: 4 }, async (_, index) => {
    for (let round = 0; performance.now() < deadline; round++) {
      // A fresh connection per visit, as a phone that just scanned the code.
      const agent = agentFrom(visitorAddress(index * 50 + round))
      try {
        result.voteLoads.push(await loadPage(server, agent, '/v'))
        result.deckLoads.push(await loadPage(server, agent, '/'))
      }
      catch (error) {
        countError(result.errors, `page ${(error as Error).message}`)
      }
      agent.destroy()
    }
  })
  await Promise.all([
    ...phones,
    ...visitors,
  ])
  return result
}

interface Attacker {
  held: number
  refused: Map<number, number>
  stop: () => Promise<void>
}

/** Opens streams from one address until refused, keeps them, and goes on asking for more as fast as it can. */
async function startAttacker(server: PollServer): Promise<Attacker> {
  const streamsAgent = agentFrom(HOSTILE, false)
  const held: Stream[] = []
  const refused = new Map<number, number>()
  for (;;) {
    const stream = await openStream(server, streamsAgent, `/api/polls/${CHOICE_POLL}/events`)
    if (stream.status !== 200) {
      refused.set(stream.status, 1)
      break
    }
    held.push(stream)
  }
  const state = { running: true }
  const hammer = Array.from({ length: 4 }, async () => {
    const agent = agentFrom(HOSTILE)
    while (state.running) {
      try {
        const stream = await openStream(server, agent, `/api/polls/${CHOICE_POLL}/events`)
        if (stream.status === 200)
          held.push(stream)
        else
          refused.set(stream.status, (refused.get(stream.status) ?? 0) + 1)
      }
      catch {}
    }
    agent.destroy()
  })
  return {
    get held() {
      return held.length
    },
    refused,
    async stop() {
      state.running = false
      await Promise.all(hammer)
      held.forEach(stream => stream.close())
      streamsAgent.destroy()
    },
  }
}

async function partOne(server: PollServer): Promise<void> {
  console.log(`\n1. ${PHONES} phones (own addresses, one vote change each ${PHONE_VOTE_INTERVAL_MS / 1000} s, the voting page's one stream each) and 4 visitors loading /v and / (${BUILT ? 'the built deck' : 'a tiny page: dist/ is not built'}), ${PHASE_S} s quiet, then ${PHASE_S} s with a hostile client …`)
  await setState(server, CHOICE_POLL, 'open')
  const listening = await Promise.all(Array.from({ length: PHONES }, async (_, index) => {
    const agent = agentFrom(phoneAddress(index), false)
    return [await openStream(server, agent, '/api/events')]
  }))
  const quiet = await legitimateTraffic(server, PHASE_S)
  const attacker = await startAttacker(server)
  const attacked = await legitimateTraffic(server, PHASE_S)
  const held = attacker.held
  const refused = [...attacker.refused].map(([status, count]) => `${count}×${status}`).join(', ')
  await attacker.stop()
  listening.flat().forEach(stream => stream.close())
  const legitStreams = listening.flat().filter(stream => stream.status === 200).length

  const rows = [
    [
      '',
      'vote → 201 p50 / p99',
      'voting page load p50 / p99',
      'deck load p50 / p99',
      'votes',
      'errors',
    ],
    ...([
      ['quiet room', quiet],
      ['hostile client at its cap', attacked],
    ] as const).map(([label, phase]) => [
      label,
      spread(phase.votes),
      spread(phase.voteLoads),
      spread(phase.deckLoads),
      String(phase.votes.length),
      phase.errors.size === 0
        ? '0'
        : [...phase.errors].map(([key, count]) => `${count}× ${key}`).join(', '),
    ]),
  ]
  printTable(rows)
  console.log(`  phones' own streams open: ${legitStreams}/${PHONES}; hostile client (${HOSTILE}) held ${held} streams, refused: ${refused}`)
}

// ─── Part 2: a voter-id rotator on one address ────────────────────────────────────────────────────────────────────

async function partTwo(server: PollServer): Promise<boolean> {
  const poll = 'paradigme'
  console.log(`\n2. A script on one address (${ROTATOR}) sending votes as fast as it can, a new voter id each, for ${ROTATOR_S} s (default limits) …`)
  await setState(server, poll, 'open')
  const agent = agentFrom(ROTATOR)
  const statuses = new Map<number, number>()
  const deadline = performance.now() + ROTATOR_S * 1000
  let sent = 0
  await Promise.all(Array.from({ length: 8 }, async (_, lane) => {
    for (let index = 0; performance.now() < deadline; index++) {
      sent++
      const answer = await send(server, agent, `/api/polls/${poll}/votes`, {
        method: 'POST',
        body: { voter: `rotator-${lane}-${index}-x`, choice: 'npm' },
      }).catch(() => ({ status: 0 }))
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1)
    }
  }))
  agent.destroy()
  const total = await counted(server, poll)
  const perMinute = total / (ROTATOR_S / 60)
  console.log(`  requests sent: ${sent} (${Math.round(sent / ROTATOR_S)}/s); answers: ${[...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${count}×${status}`).join(', ')}`)
  console.log(`  votes counted by the server: ${total} in ${ROTATOR_S} s = ${Math.round(perMinute)} per minute (target ≤ ${ROTATOR_TARGET_PER_MINUTE})`)
  return perMinute <= ROTATOR_TARGET_PER_MINUTE
}

// ─── Part 3: a whole audience behind one shared address ───────────────────────────────────────────────────────────

async function partThree(): Promise<boolean> {
  const settings = Object.entries(SHARED_ENV).map(([name, value]) => `${name}=${value}`).join(' ')
  console.log(`\n3. ${SHARED_CLIENTS} phones from one address (${SHARED}) with ${settings}, arriving over ${ARRIVAL_S} s: load /v, listen (the page's one stream), vote …`)
  const server = await startPollServer({
    env: {
      ...SHARED_ENV,
      ...BUILT
        ? { DIST_DIR }
        : {},
    },
  })
  const errors = new Map<string, number>()
  const streams: Stream[] = []
  const pageLoads: number[] = []
  const votes: number[] = []
  try {
    await setState(server, CHOICE_POLL, 'open')
    const pages = agentFrom(SHARED)
    pages.maxSockets = 64
    const streamAgent = agentFrom(SHARED, false)
    const started = performance.now()
    const phones = Array.from({ length: SHARED_CLIENTS }, async (_, index) => {
      await sleep((index / SHARED_CLIENTS) * ARRIVAL_S * 1000)
      try {
        pageLoads.push(await loadPage(server, pages, '/v'))
        const current = await openStream(server, streamAgent, '/api/events')
        streams.push(current)
        if (current.status !== 200)
          throw new Error(`/api/events HTTP ${current.status}`)
        const id = (JSON.parse(await current.next('current')) as { id: string | null }).id
        if (id !== CHOICE_POLL)
          throw new Error(`current poll ${id}`)
        // The same stream carries the shown poll's results (at a phone's pace).
        await current.next('tally')
        const sentAt = performance.now()
        const answer = await send(server, pages, `/api/polls/${id}/votes`, {
          method: 'POST',
          body: { voter: `delt-${index}-${Math.random().toString(36).slice(2, 10)}`, choice: CHOICES[index % CHOICES.length] },
        })
        if (answer.status !== 201)
          throw new Error(`vote HTTP ${answer.status}`)
        votes.push(performance.now() - sentAt)
        // Listening: this phone sees the room's final count.
        await current.next('tally', data => (JSON.parse(data) as { total: number }).total >= SHARED_CLIENTS)
      }
      catch (error) {
        countError(errors, (error as NodeJS.ErrnoException).code ?? (error as Error).message)
      }
    })
    const finished = await Promise.race([
      Promise.all(phones).then(() => true),
      sleep(SHARED_DEADLINE_S * 1000 + 5000).then(() => false),
    ])
    const seconds = (performance.now() - started) / 1000
    const total = await counted(server, CHOICE_POLL)
    const ok = finished && errors.size === 0 && total === SHARED_CLIENTS && seconds <= SHARED_DEADLINE_S
    console.log(`  all joined, listened and voted, and every phone saw the final count, in ${seconds.toFixed(1)} s (limit ${SHARED_DEADLINE_S} s)${finished ? '' : ': NOT FINISHED'}`)
    console.log(`  votes counted: ${total}/${SHARED_CLIENTS}; streams open at once: ${streams.filter(stream => stream.status === 200).length}; errors: ${errors.size === 0
      ? 0
      : [...errors].map(([key, count]) => `${count}× ${key}`).join(', ')}`)
    console.log(`  voting page load p50 / p99: ${spread(pageLoads)}; vote → 201 p50 / p99: ${spread(votes)}`)
    pages.destroy()
    return ok
  }
  finally {
    streams.forEach(stream => stream.close())
    await server.stop()
  }
}

function printTable(rows: readonly (readonly string[])[]): void {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map(row => row[column]!.length)))
  for (const row of rows) {
    console.log(`  ${row.map((cell, column) => column === 0
      ? cell.padEnd(widths[column]!)
      : cell.padStart(widths[column]!)).join('  ')}`)
  }
}

console.log(`Hostile-room benchmark: the real poll server on loopback, one run, ${cpus().length} CPU cores shared with the load generator (and whatever else runs on this machine).`)
const server = await startPollServer(BUILT
  ? {
      env: { DIST_DIR },
    }
  : {})
let rotatorOk: boolean
try {
  await partOne(server)
  rotatorOk = await partTwo(server)
}
finally {
  await server.stop()
}
const sharedOk = await partThree()
if (!rotatorOk || !sharedOk)
  process.exitCode = 1
