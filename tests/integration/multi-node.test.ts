/**
 * Several poll servers behind one load balancer: one real redis-server and three `npm start` processes sharing
 * it (POLL_STORE). Votes go round-robin to all three, voters change their minds through other servers than the
 * first, and SSE listeners on every server must end with the same tallies: those of each voter's last vote.
 */
import type { PollStatus } from '../../polls/types.ts'
import type { PollServer } from '../../tools/poll-server-process.ts'
import type { RedisServer } from '../../tools/redis-process.ts'
import type { SseStream } from './sse.ts'
import process from 'node:process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPollNodes, startRedis } from '../../tools/redis-process.ts'
import { inParallel, pollStatus, postVote, savedPolls, setPollState, waitFor } from './poll-http.ts'
import { seededRandom } from './random.ts'
import { openSse } from './sse.ts'
import { redisVotes } from './stored-votes.ts'
import { tallyOf } from './vote-ledger.ts'

const NODES = 3
let redis: RedisServer
let nodes: PollServer[] = []
const streams: SseStream[] = []

beforeAll(async () => {
  redis = await startRedis()
  nodes = await startPollNodes(redis, NODES)
}, 60_000)

afterAll(async () => {
  for (const stream of streams)
    stream.close()
  await Promise.all(nodes.map(node => node.stop()))
  await redis?.remove()
})

function latestTally(stream: SseStream): PollStatus | undefined {
  const event = stream.events.findLast(candidate => candidate.event === 'tally')
  return event && JSON.parse(event.data) as PollStatus
}

/** Listeners on every node for a poll: `perNode` each. */
async function listenEverywhere(path: string, perNode: number): Promise<SseStream[][]> {
  return Promise.all(nodes.map(node => Promise.all(Array.from({ length: perNode }, async () => {
    const stream = await openSse(`${node.url}${path}`)
    streams.push(stream)
    return stream
  }))))
}

describe('several poll servers on one Redis', () => {
  it('agree on every tally: votes round-robin, re-votes through other servers, listeners on every server', async () => {
    const polls = ['valg', 'flervalg'] as const
    const listeners = {
      valg: await listenEverywhere('/api/polls/valg/events', 3),
      flervalg: await listenEverywhere('/api/polls/flervalg/events', 2),
    }
    const current = await listenEverywhere('/api/events', 1)

    // Opened through the first server; every server's listeners hear of it.
    for (const poll of polls)
      await setPollState(nodes[0]!, poll, { state: 'open' })
    const everyListener = (poll: typeof polls[number]) => listeners[poll].flat()
    for (const poll of polls)
      expect(await waitFor(() => everyListener(poll).every(stream => latestTally(stream)?.state === 'open'), 5000)).toBe(true)
    expect(await waitFor(() => current.flat().every(stream => stream.events.findLast(event => event.event === 'current')?.data === '{"id":"flervalg"}'), 5000)).toBe(true)

    const random = seededRandom(3)
    const choices = ['ja', 'delvis', 'nei']
    const groups = [
      'unge',
      'parorende',
      'frivillige',
      'fagfolk',
      'naringsliv',
      'forskere',
    ]
    const voters = Array.from({ length: 180 }, (_, index) => `multi-node-voter-${index}`)
    const last = {
      valg: new Map<string, string[]>(),
      flervalg: new Map<string, string[]>(),
    }
    const perNode = Array.from<number>({ length: NODES }).fill(0)
    let sent = 0
    let request = 0
    const started = performance.now()
    // Each voter votes three times, one vote after the other; consecutive requests go to consecutive servers.
    await inParallel(voters, 30, async (voter, index) => {
      for (let round = 0; round < 3; round++) {
        const ballots: [typeof polls[number], unknown, string[]][] = []
        const choice = random.pick(choices)
        ballots.push([
          'valg',
          choice,
          [choice],
        ])
        if (index % 3 === 0) {
          const chosen = groups.filter(() => random.chance(0.4))
          const picked = chosen.length > 0
            ? chosen
            : [
                random.pick(groups),
              ]
          ballots.push(['flervalg', picked, picked])
        }
        for (const [poll, ballot, items] of ballots) {
          const node = request++ % NODES
          perNode[node] = perNode[node]! + 1
          sent++
          const response = await postVote(nodes[node]!, poll, voter, ballot)
          expect(response.status, await response.clone().text()).toBe(201)
          last[poll].set(voter, items)
        }
      }
    })
    const votingMs = performance.now() - started

    for (const poll of polls) {
      const expected = tallyOf(last[poll])
      const agreed = await waitFor(() => everyListener(poll).every((stream) => {
        const tally = latestTally(stream)
        return tally?.total === expected.total && Object.entries(expected.tallies).every(([item, count]) => tally.tallies[item] === count)
      }), 10_000)
      const finals = everyListener(poll).map(stream => latestTally(stream))
      expect(agreed, `listeners of ${poll} ended at ${JSON.stringify(finals.map(final => final?.tallies))}, expected ${JSON.stringify(expected)}`).toBe(true)
      for (const final of finals) {
        expect(final).toMatchObject({
          total: expected.total,
          tallies: {
            ...Object.fromEntries(finalOptions(poll).map(option => [option, 0])),
            ...expected.tallies,
          },
        })
      }
      for (const node of nodes)
        expect((await pollStatus(node, poll)).tallies).toEqual(finals[0]!.tallies)
      // What Redis holds is exactly each voter's last vote.
      const stored = await redisVotes(redis.url, poll)
      expect(new Map([...stored].map(([voter, items]) => [
        voter,
        items.sort(),
      ]))).toEqual(new Map([...last[poll]].map(([voter, items]) => [
        voter,
        [...items].sort(),
      ])))
    }

    // Coalescing stays per server: no listener got more than ~25 events a second (one per 40 ms).
    const seconds = (performance.now() - started) / 1000
    const mostEvents = Math.max(...polls.flatMap(poll => everyListener(poll).map(stream => stream.events.length)))
    expect(mostEvents).toBeLessThanOrEqual(Math.ceil(seconds * 25) + 10)

    // Closed through the third server and reset through the second: every listener follows.
    await setPollState(nodes[2]!, 'flervalg', { state: 'closed' })
    expect(await waitFor(() => everyListener('flervalg').every(stream => latestTally(stream)?.state === 'closed'), 5000)).toBe(true)
    expect(await waitFor(() => current.flat().every(stream => stream.events.findLast(event => event.event === 'current')?.data === '{"id":"valg"}'), 5000)).toBe(true)
    // The server that closed the poll wrote its final result, counted from Redis, to its snapshot file.
    const snapshot = savedPolls(nodes[2]!.snapshotFile)
    const closedWith = tallyOf(last.flervalg)
    expect(snapshot.flervalg).toMatchObject({ total: closedWith.total, tallies: closedWith.tallies })
    const reset = await fetch(`${nodes[1]!.url}/api/polls/valg/votes`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${nodes[1]!.token}` },
    })
    expect(reset.status).toBe(200)
    expect(await waitFor(() => everyListener('valg').every(stream => latestTally(stream)?.total === 0), 5000)).toBe(true)

    process.stdout.write(`multi-node: ${NODES} servers on one Redis, ${sent} votes from ${voters.length} voters in ${Math.round(votingMs)} ms `
      + `(per server ${perNode.join('/')}), ${everyListener('valg').length + everyListener('flervalg').length} tally listeners; `
      + `every listener ended at valg ${JSON.stringify(tallyOf(last.valg))} and flervalg ${JSON.stringify(tallyOf(last.flervalg))}; `
      + `at most ${mostEvents} events per listener in ${seconds.toFixed(1)} s\n`)
  })
})

function finalOptions(poll: 'valg' | 'flervalg'): string[] {
  return poll === 'valg'
    ? ['ja', 'delvis', 'nei']
    : [
        'unge',
        'parorende',
        'frivillige',
        'fagfolk',
        'naringsliv',
        'forskere',
      ]
}
