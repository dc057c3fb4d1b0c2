/**
 * Fault: Redis is killed (SIGKILL, so only its append-only file survives) in the middle of a vote storm
 * against two poll servers, and started again on the same port and directory. While it is down the servers
 * must answer 503 with a clear error within a bounded time (never hang, never acknowledge); afterwards they
 * must recover without being restarted, every acknowledged vote must be in Redis, and the SSE listeners that
 * stayed connected through the outage must get the current tallies.
 */
import type { PollStatus } from '../../polls/types.ts'
import type { PollServer } from '../../tools/poll-server-process.ts'
import type { RedisServer } from '../../tools/redis-process.ts'
import type { SseStream } from './sse.ts'
import type { Answer } from './vote-storm.ts'
import process from 'node:process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPollNodes, startRedis } from '../../tools/redis-process.ts'
import { pollStatus, setPollState, sleep, waitFor } from './poll-http.ts'
import { openSse } from './sse.ts'
import { redisVotes } from './stored-votes.ts'
import { createLedger, describeReport, tallyOf } from './vote-ledger.ts'
import { startStorm } from './vote-storm.ts'

/** The longest any request may take, outage or not: the store's command timeout plus margin for a busy machine. */
const ANSWER_BOUND_MS = 3000
let redis: RedisServer
let nodes: PollServer[] = []
const streams: SseStream[] = []

beforeAll(async () => {
  redis = await startRedis()
  nodes = await startPollNodes(redis, 2)
}, 60_000)

afterAll(async () => {
  for (const stream of streams)
    stream.close()
  await Promise.all(nodes.map(node => node.stop()))
  await redis?.remove()
})

const SENDERS = 20
const VOTERS_PER_SENDER = 5

/** A request that needs Redis, with how long it took and what it answered. */
async function probe(node: PollServer, label: string, path: string, init: RequestInit = {}) {
  const started = performance.now()
  const response = await fetch(`${node.url}${path}`, {
    ...init,
    signal: AbortSignal.timeout(10_000),
  })
  const text = await response.text()
  return {
    label,
    status: response.status,
    body: response.headers.get('content-type')?.startsWith('application/json')
      ? JSON.parse(text) as unknown
      : undefined,
    type: response.headers.get('content-type'),
    error: response.headers.get('content-type')?.startsWith('application/json')
      ? (JSON.parse(text) as { error?: unknown }).error
      : undefined,
    ms: performance.now() - started,
  }
}

function latestTally(stream: SseStream): PollStatus | undefined {
  const event = stream.events.findLast(candidate => candidate.event === 'tally')
  return event && JSON.parse(event.data) as PollStatus
}

describe('redis restarted during a vote storm', () => {
  it('answers 503 quickly while Redis is down, recovers by itself and keeps every acknowledged vote', async () => {
    await setPollState(nodes[0]!, 'valg', { state: 'open' })
    for (const node of nodes) {
      for (let index = 0; index < 2; index++)
        streams.push(await openSse(`${node.url}/api/polls/valg/events`))
    }
    const pids = nodes.map(node => node.pid)

    const ledger = createLedger()
    const storm = startStorm({
      targets: () => nodes,
      pollId: 'valg',
      choices: ['ja', 'delvis', 'nei'],
      senders: SENDERS,
      votersPerSender: VOTERS_PER_SENDER,
      seed: 11,
      ledger,
      voterPrefix: 'redis-restart',
    })
    expect(await waitFor(() => storm.acked() >= 150, 15_000, 5), 'the storm got under way').toBe(true)
    const ackedBeforeKill = storm.acked()

    await redis.kill()
    const downSince = performance.now()
    // Requests that need Redis, on both servers, while the storm keeps voting.
    const authorization = { authorization: `Bearer ${nodes[0]!.token}` }
    // A poll's status is served from its last rendering (events.ts): when no vote came in since, a read needs no Redis.
    const reads = (await Promise.all(nodes.map(node => Promise.all([
      probe(node, 'GET /api/polls', '/api/polls'),
      probe(node, 'GET /api/polls/valg', '/api/polls/valg'),
    ])))).flat()
    const probes = (await Promise.all(nodes.map(node => Promise.all([
      probe(node, 'GET results.csv', '/api/polls/valg/results.csv'),
      probe(node, 'POST state', '/api/polls/skala/state', {
        method: 'POST',
        headers: { ...authorization, 'content-type': 'application/json' },
        body: '{"state":"open"}',
      }),
      probe(node, 'DELETE votes', '/api/polls/skala/votes', { method: 'DELETE', headers: authorization }),
    ])))).flat()
    // Longer than any answer may take: a request queued until Redis returns would show as too slow.
    await sleep(ANSWER_BOUND_MS)
    const restartAt = performance.now()
    await redis.start()
    const backAt = performance.now()

    // Both servers take votes again, without a restart of their own.
    const recovered = await waitFor(() => [0, 1].every(sender => storm.answers.some(answer =>
      answer.sender % 2 === sender % 2 && answer.sentAt > backAt && answer.status === 201)), 10_000, 10)
    const recoveredAt = performance.now()
    const ackedAtRecovery = storm.acked()
    await waitFor(() => storm.acked() >= ackedAtRecovery + 100, 10_000, 10)
    await storm.stop()

    const during = storm.answers.filter(answer => answer.sentAt >= downSince && answer.answeredAt <= restartAt)
    const acknowledgedDuring = during.filter(answer => answer.status === 201)
    const slowest = storm.answers.reduce<Answer | undefined>((worst, answer) =>
      !worst || answer.answeredAt - answer.sentAt > worst.answeredAt - worst.sentAt
        ? answer
        : worst, undefined)!
    const unanswered = storm.answers.filter(answer => answer.status === undefined)
    const stored = await redisVotes(redis.url, 'valg')
    const report = ledger.check(stored)
    const expected = tallyOf(stored)

    process.stdout.write(`Redis SIGKILL + restart: ${ackedBeforeKill} votes acknowledged before the kill; while down (${Math.round(restartAt - downSince)} ms) `
      + `${during.length} votes answered ${[
        ...new Set(during.map(answer => answer.status)),
      ].join('/')} `
      + `(«${during[0]?.error}»), ${acknowledgedDuring.length} acknowledged; probes answered ${[
        ...reads,
        ...probes,
      ].map(result => `${result.label} ${result.status} in ${Math.round(result.ms)} ms`).join(', ')}; `
      + `both servers took votes again ${Math.round(recoveredAt - backAt)} ms after Redis was back; slowest answer of the run ${Math.round(slowest.answeredAt - slowest.sentAt)} ms; `
      + `${describeReport(report)}\n`)

    for (const result of reads) {
      expect(result.ms, result.label).toBeLessThan(ANSWER_BOUND_MS)
      expect(result.type, result.label).toMatch(/^application\/json/)
      if (result.status === 200) {
        // The last status rendered before Redis went: the open poll with votes the storm sent.
        const statuses = [result.body].flat() as PollStatus[]
        const valg = statuses.find(status => status.id === 'valg')
        expect(valg, result.label).toMatchObject({ state: 'open' })
        expect(valg!.total, result.label).toBeGreaterThan(0)
        expect(valg!.total, result.label).toBeLessThanOrEqual(SENDERS * VOTERS_PER_SENDER)
      }
      else {
        expect(result.status, result.label).toBe(503)
        expect(result.error, result.label).toMatch(/ikke tilgjengelige|kunne ikke lagres/)
      }
    }
    for (const result of probes) {
      expect(result, result.label).toMatchObject({
        status: 503,
        type: expect.stringMatching(/^application\/json/),
      })
      expect(result.error, result.label).toMatch(/ikke tilgjengelige|kunne ikke lagres/)
      expect(result.ms, result.label).toBeLessThan(ANSWER_BOUND_MS)
    }
    expect(during.length, 'votes sent while Redis was down').toBeGreaterThan(0)
    expect(acknowledgedDuring, 'votes acknowledged while Redis was down').toEqual([])
    expect(during.filter(answer => answer.status !== 503)).toEqual([])
    expect(during[0]!.error).toMatch(/Stemmen kunne ikke lagres/)
    expect(unanswered, 'votes that got no answer (hung or dropped)').toEqual([])
    expect(slowest.answeredAt - slowest.sentAt).toBeLessThan(ANSWER_BOUND_MS)

    expect(recovered, 'both servers took votes again after Redis came back').toBe(true)
    expect(nodes.map(node => node.pid)).toEqual(pids)
    for (const node of nodes)
      expect(() => process.kill(node.pid, 0), 'the server process is still the same one').not.toThrow()

    expect(report.lost, 'acknowledged votes missing after the Redis restart').toEqual([])
    expect(report.wrong).toEqual([])
    expect(report.strangers).toEqual([])
    for (const node of nodes) {
      const status = await pollStatus(node, 'valg')
      expect({ total: status.total, tallies: status.tallies }).toEqual({
        total: expected.total,
        tallies: {
          ja: 0,
          delvis: 0,
          nei: 0,
          ...expected.tallies,
        },
      })
    }
    // The listeners stayed connected through the outage and now show the current tallies.
    const expectedTallies = JSON.stringify({
      ja: 0,
      delvis: 0,
      nei: 0,
      ...expected.tallies,
    })
    const caughtUp = await waitFor(() => streams.every(stream => JSON.stringify(latestTally(stream)?.tallies) === expectedTallies), 5000)
    expect(caughtUp, `listeners ended at ${streams.map(stream => JSON.stringify(latestTally(stream)?.tallies)).join(', ')}, expected ${expectedTallies}`).toBe(true)
  })
})
