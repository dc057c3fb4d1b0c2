import type { PollStatus } from '../../polls/types.ts'
import type { PollServer } from '../../tools/poll-server-process.ts'
import type { SseEvent, SseStream } from './sse.ts'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startPollServer } from '../../tools/poll-server-process.ts'
import { openSse } from './sse.ts'

let server: PollServer
const streams: SseStream[] = []
let voterCount = 0

async function listen(path: string): Promise<SseStream> {
  const stream = await openSse(`${server.url}${path}`)
  streams.push(stream)
  return stream
}

function tally(event: SseEvent): PollStatus {
  expect(event.event).toBe('tally')
  return JSON.parse(event.data) as PollStatus
}

function current(event: SseEvent): string | null {
  expect(event.event).toBe('current')
  return (JSON.parse(event.data) as { id: string | null }).id
}

async function setState(pollId: string, patch: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${server.url}/api/polls/${pollId}/state`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'authorization': `Bearer ${server.token}` },
    body: JSON.stringify(patch),
  })
  expect(response.status).toBe(200)
}

async function vote(pollId: string, choice: unknown, voter = `sse-voter-${++voterCount}`): Promise<void> {
  const response = await fetch(`${server.url}/api/polls/${pollId}/votes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ voter, choice }),
  })
  expect(response.status).toBe(201)
}

beforeAll(async () => {
  server = await startPollServer({
    // Fifty listeners come from this one test address: the fan-out is under test here, not the per-address caps.
    env: { POLL_RATE_LIMITS: 'off' },
  })
})

afterEach(() => {
  for (const stream of streams.splice(0))
    stream.close()
})

afterAll(async () => {
  await server?.stop()
})

describe('poll events', () => {
  it('sends the current status at once on connect', async () => {
    const stream = await listen('/api/polls/valg/events')
    const first = tally(await stream.next(() => true, { timeoutMs: 2000 }))
    expect(first).toMatchObject({
      id: 'valg',
      state: 'closed',
      total: 0,
      tallies: { ja: 0, delvis: 0, nei: 0 },
    })
  })

  it('pushes state changes and votes as tally events', async () => {
    const stream = await listen('/api/polls/valg/events')
    await stream.next(() => true)
    await setState('valg', { state: 'open' })
    await stream.next(event => tally(event).state === 'open')
    const sentAt = performance.now()
    await vote('valg', 'nei')
    const pushed = await stream.next(event => tally(event).total === 1, { timeoutMs: 2000 })
    expect(tally(pushed).tallies).toEqual({ ja: 0, delvis: 0, nei: 1 })
    expect(pushed.receivedAt - sentAt).toBeLessThan(1000)
  })

  it('coalesces a burst of votes into a few events that end with the full count', async () => {
    const stream = await listen('/api/polls/skala/events')
    await stream.next(() => true)
    await setState('skala', { state: 'open' })
    const from = stream.events.length
    const startedAt = performance.now()
    await Promise.all(Array.from({ length: 60 }, (_, index) => vote('skala', 1 + (index % 5))))
    const last = await stream.next(event => tally(event).total === 60, { timeoutMs: 3000, from })
    const elapsedSeconds = (last.receivedAt - startedAt) / 1000
    const burst = stream.events.slice(from)
    expect(tally(last).tallies).toEqual({ 1: 12, 2: 12, 3: 12, 4: 12, 5: 12 })
    // At most ~10 events per second (plus the state change and one leading event).
    expect(burst.length).toBeLessThanOrEqual(Math.ceil(elapsedSeconds * 10) + 3)
    expect(burst.length).toBeLessThan(60)
  })

  it('gives a reconnecting client the current state at once', async () => {
    const first = await listen('/api/polls/valg/events')
    const before = tally(await first.next(() => true))
    first.close()
    await vote('valg', 'ja')
    await vote('valg', 'ja')
    const again = await listen('/api/polls/valg/events')
    const now = tally(await again.next(() => true, { timeoutMs: 1000 }))
    expect(now.total).toBe(before.total + 2)
    expect(now.tallies.ja).toBe(before.tallies.ja! + 2)
  })

  it('reveals the quiz answer to listeners', async () => {
    const stream = await listen('/api/polls/quiz/events')
    expect(tally(await stream.next(() => true))).not.toHaveProperty('correct')
    await setState('quiz', { revealed: true })
    const revealed = tally(await stream.next(event => tally(event).revealed))
    expect(revealed.correct).toBe('dugnad')
  })

  it('tells listeners when a poll is reset', async () => {
    const stream = await listen('/api/polls/valg/events')
    expect(tally(await stream.next(() => true)).total).toBeGreaterThan(0)
    const response = await fetch(`${server.url}/api/polls/valg/votes`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${server.token}` },
    })
    expect(response.status).toBe(200)
    expect(tally(await stream.next(event => tally(event).total === 0)).tallies).toEqual({ ja: 0, delvis: 0, nei: 0 })
  })

  it('feeds many listeners of one poll the same event', async () => {
    const listeners = await Promise.all(Array.from({ length: 50 }, () => listen('/api/polls/ord/events')))
    await Promise.all(listeners.map(stream => stream.next(() => true)))
    await setState('ord', { state: 'open' })
    await vote('ord', 'Alltid  Samme  MØTE')
    const received = await Promise.all(listeners.map(stream => stream.next(event => tally(event).total === 1)))
    for (const event of received)
      expect(tally(event).tallies).toEqual({ 'alltid samme møte': 1 })
  })
})

describe('the current poll', () => {
  it('follows the most recently opened poll that is still open', async () => {
    for (const id of [
      'valg',
      'skala',
      'ord',
      'valg-b',
      'flervalg',
      'quiz',
    ])
      await setState(id, { state: 'closed' })
    const stream = await listen('/api/events')
    expect(current(await stream.next(() => true))).toBeNull()

    const steps: [string, 'open' | 'closed', string | null][] = [
      ['valg-b', 'open', 'valg-b'],
      ['flervalg', 'open', 'flervalg'],
      ['flervalg', 'closed', 'valg-b'],
      ['valg-b', 'closed', null],
    ]
    for (const [pollId, state, expected] of steps) {
      const from = stream.events.length
      await setState(pollId, { state })
      await stream.next(event => current(event) === expected, { from })
    }
  })

  it('sends the current poll at once to a new listener', async () => {
    await setState('skala', { state: 'open' })
    const stream = await listen('/api/events')
    expect(current(await stream.next(() => true, { timeoutMs: 1000 }))).toBe('skala')
  })
})
