/**
 * Fault: a bad-input fuzz run against every endpoint, for each store. Thousands of generated requests
 * (fuzz-cases.ts: malformed, oversized, wrongly typed, unicode-hostile, broken HTTP) from a seeded PRNG, with
 * valid votes interleaved. No request may get a 5xx or hang, the server must survive, nothing outside the deck
 * may leak, and the database must afterwards hold exactly what it held before plus the valid votes.
 */
import type { PollDefinition } from '../../polls/types.ts'
import type { PollServer } from '../../tools/poll-server-process.ts'
import type { RedisServer } from '../../tools/redis-process.ts'
import type { FuzzCase, HttpCase, RawCase } from './fuzz-cases.ts'
import { Buffer } from 'node:buffer'
import { Agent, request } from 'node:http'
import { connect } from 'node:net'
import process from 'node:process'
import Database from 'better-sqlite3'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPollServer } from '../../tools/poll-server-process.ts'
import { startRedis } from '../../tools/redis-process.ts'
import { polls } from '../fixtures/polls.ts'
import { fuzzCases, OPEN_POLLS, validChoice } from './fuzz-cases.ts'
import { inParallel, pollStatus, postVote, setPollState } from './poll-http.ts'
import { seededRandom } from './random.ts'
import { redisVotes, sqliteVotes } from './stored-votes.ts'
import { tallyOf } from './vote-ledger.ts'

const FUZZ_REQUESTS = 2500
const VALID_VOTES = 250
const SEED = 20240611
const knownIds = new Set<string>(polls.map(poll => poll.id))
let redis: RedisServer
const servers: PollServer[] = []

beforeAll(async () => {
  redis = await startRedis()
})

afterAll(async () => {
  for (const server of servers)
    await server.stop()
  await redis?.remove()
})

/** Everything the store holds: states, votes (items sorted), and anything about polls that do not exist. */
interface Dump {
  states: Record<string, unknown>
  votes: Record<string, Record<string, string[]>>
  foreign: string[]
}

function sortedVotes(votes: Map<string, string[]>) {
  return Object.fromEntries([...votes].map(([voter, items]) => [
    voter,
    [...items].sort(),
  ]).sort(([a], [b]) => String(a).localeCompare(String(b))))
}

function sqliteDump(file: string): Dump {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const states = Object.fromEntries(db.prepare<[], { poll_id: string }>('SELECT session_id, poll_id, state, revealed, opened_at, closed_at, round FROM session_poll_state ORDER BY session_id, poll_id').all().map(row => [row.poll_id, row]))
    const pollIds = db.prepare<[], { poll_id: string }>(`
      SELECT poll_id FROM session_votes UNION SELECT poll_id FROM session_vote_items UNION SELECT poll_id FROM session_poll_state
      UNION SELECT poll_id FROM session_tallies UNION SELECT poll_id FROM session_hidden_items`).all().map(row => row.poll_id)
    const votes = Object.fromEntries(pollIds.filter(id => knownIds.has(id)).map(id => [
      id,
      sortedVotes(sqliteVotes(file, id)),
    ]))
    return {
      states,
      votes,
      foreign: pollIds.filter(id => !knownIds.has(id)),
    }
  }
  finally {
    db.close()
  }
}

async function redisDump(url: string): Promise<Dump> {
  const client = new Redis(url)
  try {
    const keys = await client.keys('*')
    const session = await client.get('samskaping:session:current')
    const statesKey = `samskaping:s:${session}:states`
    const states = await client.hgetall(statesKey)
    const pattern = /^samskaping:s:\d+:poll:(.+):(?:r\d+:(?:votes|tallies|order)|hidden)$/
    const bookkeeping = new Set([
      'samskaping:session:current',
      'samskaping:session:seq',
      'samskaping:sessions',
      'samskaping:seq',
      statesKey,
    ])
    const pollIds = [
      ...new Set(keys.map(key => key.match(pattern)?.[1]).filter((id): id is string => id !== undefined)),
    ]
    const votes: Dump['votes'] = {}
    for (const id of pollIds.filter(id => knownIds.has(id)))
      votes[id] = sortedVotes(await redisVotes(url, id))
    const foreign = [
      ...keys.filter(key => !bookkeeping.has(key) && !pattern.test(key)),
      ...pollIds.filter(id => !knownIds.has(id)),
      ...Object.keys(states).filter(id => !knownIds.has(id)),
    ]
    return { states, votes, foreign }
  }
  finally {
    client.disconnect()
  }
}

interface Result {
  fuzz: FuzzCase
  status?: number
  error?: string
  body: string
}

function sendHttp(origin: URL, fuzz: HttpCase, agent: Agent): Promise<Result> {
  return new Promise((resolve) => {
    const body = fuzz.body
    const headers = { ...fuzz.headers }
    if (body && !fuzz.chunked)
      headers['content-length'] = String(body.byteLength)
    const result: Result = { fuzz, body: '' }
    let settled = false
    const done = (error?: string) => {
      if (settled)
        return
      settled = true
      if (error)
        result.error = error
      resolve(result)
    }
    const req = request({
      host: origin.hostname,
      port: origin.port,
      method: fuzz.method,
      path: fuzz.path,
      headers,
      agent,
    }, (response) => {
      result.status = response.statusCode
      if (response.headers['content-type']?.startsWith('text/event-stream')) {
        response.destroy()
        return done()
      }
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => {
        result.body = Buffer.concat(chunks).toString('latin1')
        done()
      })
      response.on('error', error => done(error.message))
    })
    req.setTimeout(5000, () => req.destroy(new Error('timeout')))
    req.on('error', (error: NodeJS.ErrnoException) => done(error.message === 'timeout'
      ? 'timeout'
      : error.code ?? error.message))
    if (body && fuzz.chunked) {
      const third = Math.ceil(body.byteLength / 3)
      req.write(body.subarray(0, third))
      req.write(body.subarray(third, 2 * third))
      req.end(body.subarray(2 * third))
    }
    else {
      req.end(body)
    }
  })
}

function sendRaw(origin: URL, fuzz: RawCase): Promise<Result> {
  return new Promise((resolve) => {
    const socket = connect(Number(origin.port), origin.hostname)
    const chunks: Buffer[] = []
    const result: Result = { fuzz, body: '' }
    const timer = setTimeout(() => {
      result.error = 'timeout'
      socket.destroy()
    }, 5000)
    socket.on('data', chunk => chunks.push(chunk))
    socket.on('error', (error: NodeJS.ErrnoException) => result.error ??= error.code ?? error.message)
    socket.on('close', () => {
      clearTimeout(timer)
      result.body = Buffer.concat(chunks).toString('latin1')
      const status = result.body.match(/^HTTP\/1\.[01] (\d{3})/)?.[1]
      if (status)
        result.status = Number(status)
      resolve(result)
    })
    socket.end(fuzz.bytes)
  })
}

const stores = [
  {
    name: 'SQLite',
    env: () => ({}),
    dump: (server: PollServer) => Promise.resolve(sqliteDump(server.dbFile)),
  },
  {
    name: 'Redis',
    env: () => ({ POLL_STORE: `${redis.url}/3` }),
    dump: () => redisDump(`${redis.url}/3`),
  },
]

describe.each(stores)('bad-input fuzz run ($name)', (store) => {
  it(`survives ${FUZZ_REQUESTS} hostile requests with no 5xx and no change but the valid votes`, async () => {
    const server = await startPollServer({
      env: {
        ...store.env(),
        POLL_RATE_LIMITS: 'off',
      },
    })
    servers.push(server)
    const origin = new URL(server.url)
    const random = seededRandom(SEED)

    for (const id of OPEN_POLLS)
      await setPollState(server, id, { state: 'open' })
    // Votes from before the run, which must survive it untouched or replaced only by valid votes.
    const valid = new Map<string, Map<string, string[]>>(OPEN_POLLS.map(id => [
      id,
      new Map(),
    ]))
    const validVote = async (index: number) => {
      const poll = polls.find(candidate => candidate.id === OPEN_POLLS[index % OPEN_POLLS.length]) as PollDefinition
      const voter = `fuzz-valid-voter-${index % 37}`
      const { choice, items } = validChoice(poll, random)
      const response = await postVote(server, poll.id, voter, choice)
      expect(response.status, `valid vote ${JSON.stringify(choice)} on ${poll.id}: ${await response.clone().text()}`).toBe(201)
      valid.get(poll.id)!.set(voter, items)
    }
    for (let index = 0; index < 20; index++)
      await validVote(index)
    const before = await store.dump(server)

    const cases = fuzzCases(random, FUZZ_REQUESTS, server.token)
    const agent = new Agent({ keepAlive: true, maxSockets: 12 })
    const results: Result[] = []
    const started = performance.now()
    await Promise.all([
      inParallel(cases, 12, async (fuzz) => {
        results.push(fuzz.kind === 'raw'
          ? await sendRaw(origin, fuzz)
          : await sendHttp(origin, fuzz, agent))
      }),
      // One voter's valid votes one after the other, interleaved with the fuzz.
      (async () => {
        for (let index = 20; index < 20 + VALID_VOTES; index++)
          await validVote(index)
      })(),
    ])
    const seconds = (performance.now() - started) / 1000
    agent.destroy()

    const byStatus = new Map<string, number>()
    const byLabel = new Map<string, number>()
    for (const result of results) {
      const key = String(result.status ?? `no answer (${result.error})`)
      byStatus.set(key, (byStatus.get(key) ?? 0) + 1)
      byLabel.set(result.fuzz.label, (byLabel.get(result.fuzz.label) ?? 0) + 1)
    }
    const after = await store.dump(server)
    const expectedVotes = structuredClone(before.votes)
    for (const [pollId, votes] of valid) {
      expectedVotes[pollId] ??= {}
      for (const [voter, items] of votes)
        expectedVotes[pollId][voter] = [...items].sort()
    }
    const summarise = (map: Map<string, number>) => [...map].sort(([, a], [, b]) => b - a).map(([key, count]) => `${key}: ${count}`).join(', ')
    process.stdout.write(`fuzz (${store.name}, seed ${SEED}): ${results.length} hostile requests in ${seconds.toFixed(1)} s with ${VALID_VOTES} valid votes interleaved; `
      + `tried ${summarise(byLabel)}; answered ${summarise(byStatus)}; `
      + `database afterwards: ${Object.values(after.votes).reduce((sum, votes) => sum + Object.keys(votes).length, 0)} stored votes, ${after.foreign.length} records about unknown polls\n`)

    const describeResult = (result: Result) => `${result.fuzz.label}: ${result.fuzz.kind === 'raw'
      ? JSON.stringify(result.fuzz.bytes.toString('latin1').slice(0, 120))
      : `${result.fuzz.method} ${result.fuzz.path.slice(0, 120)} ${result.fuzz.body?.toString('latin1').slice(0, 120) ?? ''}`} → ${result.status ?? result.error} ${result.body.slice(0, 200)}`
    expect(results.filter(result => (result.status ?? 0) >= 500).map(describeResult), 'no 5xx').toEqual([])
    expect(results.filter(result => result.error === 'timeout').map(describeResult), 'no request hangs').toEqual([])
    expect(results.filter(result => result.fuzz.kind === 'http' && result.status === undefined && !result.fuzz.mayDrop).map(describeResult), 'every HTTP request answered').toEqual([])
    expect(results.filter(result => result.fuzz.kind === 'http' && result.fuzz.write && result.status !== undefined && result.status < 300).map(describeResult), 'no invalid write accepted').toEqual([])
    const leaks = [
      server.token,
      'SQLite format 3',
      '"name": "samskaping-deck"',
      'root:x:0:0',
    ]
    expect(results.filter(result => leaks.some(secret => result.body.includes(secret))).map(describeResult), 'nothing outside the deck leaks').toEqual([])

    expect(() => process.kill(server.pid, 0), 'the server is still running').not.toThrow()
    expect((await fetch(`${server.url}/api/polls`)).status).toBe(200)
    // Any internal error the server logged is a finding, including a client hanging up mid-body.
    const internalErrors = [
      ...server.output().matchAll(/Poll API error: (.*)/g),
    ].map(match => match[1])
    expect(internalErrors, 'internal errors logged by the server').toEqual([])

    expect(after.foreign, 'nothing stored about polls that do not exist').toEqual([])
    expect(after.states, 'poll states unchanged').toEqual(before.states)
    expect(after.votes, 'votes: those from before plus the valid ones, nothing else').toEqual(expectedVotes)
    for (const id of OPEN_POLLS) {
      const status = await pollStatus(server, id)
      const stored = new Map(Object.entries(after.votes[id] ?? {}))
      expect(status.total).toBe(stored.size)
      expect(Object.fromEntries(Object.entries(status.tallies).filter(([, count]) => count > 0))).toEqual(tallyOf(stored).tallies)
    }
  })
})
