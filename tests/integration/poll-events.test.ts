import type { PollStatus } from '../../polls/types.ts'
import type { PollServer } from '../../tools/poll-server-process.ts'
import type { SseEvent, SseStream } from './sse.ts'
import { connect } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startPollServer } from '../../tools/poll-server-process.ts'
import { waitFor } from '../../tools/wait.ts'
import { openSse } from './sse.ts'

let server: PollServer
const streams: SseStream[] = []
let voterCount = 0

async function listen(path: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const stream = await openSse(`${server.url}${path}`, (input, init) => fetch(input, {
    ...init,
    headers: {
      ...init?.headers as Record<string, string>,
      ...headers,
    },
  }))
  streams.push(stream)
  return stream
}

function tally(event: SseEvent): PollStatus {
  expect(event.event).toBe('tally')
  return JSON.parse(event.data) as PollStatus
}

/** The poll a `current` event names; undefined for any other event. */
function current(event: SseEvent): string | null | undefined {
  return event.event === 'current'
    ? (JSON.parse(event.data) as { id: string | null }).id
    : undefined
}

async function closeEveryPoll(): Promise<void> {
  for (const id of [
    'valg',
    'skala',
    'ord',
    'valg-b',
    'flervalg',
    'quiz',
  ])
    await setState(id, { state: 'closed' })
}

/** The raw bytes of an event stream requested over a plain socket, until `enough` says so. */
function rawStream(request: string, enough: (text: string) => boolean): Promise<string> {
  const { hostname, port } = new URL(server.url)
  return new Promise((resolve, reject) => {
    let text = ''
    const socket = connect(Number(port), hostname, () => socket.write(request))
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`Not enough from the server within 5 s:\n${text}`))
    }, 5000)
    socket.setEncoding('latin1').on('data', (chunk: string) => {
      text += chunk
      if (enough(text)) {
        clearTimeout(timer)
        socket.destroy()
        resolve(text)
      }
    })
    socket.on('error', reject)
  })
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
    // At most one event per 40 ms (plus the state change and one leading event).
    expect(burst.length).toBeLessThanOrEqual(Math.ceil(elapsedSeconds * 25) + 3)
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
    await closeEveryPoll()
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

describe('what a phone is sent', () => {
  it('tells a phone on one poll of state changes at once and of new votes about once a second', async () => {
    await setState('skala', { state: 'closed' })
    const phone = await listen('/api/polls/skala/events?pace=phone')
    const projector = await listen('/api/polls/skala/events')
    await phone.next(() => true)
    const openedAt = performance.now()
    await setState('skala', { state: 'open' })
    const opened = await phone.next(event => tally(event).state === 'open', { timeoutMs: 2000 })
    expect(opened.receivedAt - openedAt).toBeLessThan(900)

    const from = phone.events.length
    const before = tally(opened).total
    const startedAt = performance.now()
    let sent = 0
    while (performance.now() - startedAt < 2500) {
      await vote('skala', 1 + (sent % 5))
      sent++
      await new Promise(resolve => setTimeout(resolve, 20))
    }
    const elapsedSeconds = (performance.now() - startedAt) / 1000
    const last = await phone.next(event => tally(event).total === before + sent, { timeoutMs: 3000, from })
    const seenByPhone = phone.events.slice(from, phone.events.indexOf(last) + 1)
    expect(seenByPhone.length).toBeLessThanOrEqual(Math.ceil(elapsedSeconds) + 2)
    await projector.next(event => tally(event).total === before + sent)
    expect(projector.events.length).toBeGreaterThan(seenByPhone.length + 3)
  })

  it('gives the voting page the open poll with its status, keeps it after closing and shows the answer revealed', async () => {
    await closeEveryPoll()
    await setState('quiz', { revealed: false })
    const page = await listen('/api/events')
    expect(current(await page.next(() => true))).toBeNull()

    await setState('quiz', { state: 'open' })
    await page.next(event => current(event) === 'quiz')
    expect(tally(await page.next(event => event.event === 'tally'))).toMatchObject({ id: 'quiz', state: 'open' })

    await setState('quiz', { state: 'closed' })
    await setState('quiz', { revealed: true })
    const revealed = tally(await page.next(event => event.event === 'tally' && tally(event).revealed))
    expect(revealed).toMatchObject({ id: 'quiz', state: 'closed', correct: 'dugnad' })
    expect(current(page.events.findLast(event => event.event === 'current')!)).toBeNull()
  })

  it('gives a reconnecting voting page the poll it showed while none is open, then the next that opens', async () => {
    await closeEveryPoll()
    const reconnected = await listen('/api/events', { 'last-event-id': 'quiz' })
    const reopened = await listen('/api/events?poll=valg')
    expect(tally(await reconnected.next(event => event.event === 'tally')).id).toBe('quiz')
    expect(tally(await reopened.next(event => event.event === 'tally')).id).toBe('valg')
    const stranger = await listen('/api/events?poll=finnes-ikke')
    expect(current(await stranger.next(() => true))).toBeNull()

    await setState('valg-b', { state: 'open' })
    for (const page of [reconnected, reopened, stranger])
      expect(tally(await page.next(event => event.event === 'tally' && tally(event).id === 'valg-b')).state).toBe('open')
  })

  it('refuses a pace it does not know', async () => {
    const response = await fetch(`${server.url}/api/polls/valg/events?pace=turbo`)
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({ error: '«pace» må være «fast» eller «phone».' })
  })

  it('frames events as HTTP/1.1 chunks, and sends them bare to an HTTP/1.0 client', async () => {
    await setState('valg', { state: 'open' })
    const afterVote = (text: string) => /"total":(\d+)/.exec(text.slice(text.lastIndexOf('event: tally')))?.[1]
    const request = (version: string) => `GET /api/polls/valg/events HTTP/${version}\r\nHost: 127.0.0.1\r\n\r\n`
    const first = await rawStream(request('1.1'), text => text.includes('event: tally'))
    const total = Number(afterVote(first))

    // Both streams have their first event before the vote, so each gets a second one for it.
    const firstSeen = new Set<string>()
    const seen = (version: string, text: string) => {
      if (text.includes('event: tally'))
        firstSeen.add(version)
    }
    const chunkedAfterVote = rawStream(request('1.1'), (text) => {
      seen('1.1', text)
      return afterVote(text) === String(total + 1) && text.endsWith('\n\n\r\n')
    })
    const bareAfterVote = rawStream(request('1.0'), (text) => {
      seen('1.0', text)
      return afterVote(text) === String(total + 1) && text.endsWith('\n\n')
    })
    expect(await waitFor(() => firstSeen.size === 2, 5000)).toBe(true)
    await vote('valg', 'ja')

    const chunked = await chunkedAfterVote
    const [head, body] = chunked.split('\r\n\r\n', 2) as [string, string]
    expect(head.toLowerCase()).toContain('transfer-encoding: chunked')
    let rest = chunked.slice(head.length + 4)
    const events: string[] = []
    while (rest.length > 0) {
      const size = Number.parseInt(rest.slice(0, rest.indexOf('\r\n')), 16)
      const start = rest.indexOf('\r\n') + 2
      expect(rest.slice(start + size, start + size + 2)).toBe('\r\n')
      events.push(rest.slice(start, start + size))
      rest = rest.slice(start + size + 2)
    }
    expect(body.length).toBeGreaterThan(0)
    expect(events[0]).toBe('retry: 1000\n\n')
    expect(events.filter(event => event.startsWith('event: tally')).length).toBeGreaterThanOrEqual(2)

    const bare = await bareAfterVote
    expect(bare.toLowerCase()).not.toContain('transfer-encoding')
    expect(bare.split('\r\n\r\n')[1]).toMatch(/^retry: 1000\n\nevent: tally\ndata: \{.*\}\n\n/)
  })
})
