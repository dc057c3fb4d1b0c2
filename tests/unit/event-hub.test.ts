// @vitest-environment node
import type { Pace } from '../../polls/types.ts'
import type { EventHub, EventHubOptions } from '../../server/events.ts'
import type { SseClient, SsePayload } from '../../server/sse-stream.ts'
import { MessageChannel } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { createEventHub } from '../../server/events.ts'
import { createPendingWrites } from '../../server/store/pending-writes.ts'
import { sleep, waitFor } from '../../tools/wait.ts'

interface RecordingClient extends SseClient {
  /** One entry per write the hub made to this listener. */
  received: string[]
  payloads: SsePayload[]
  closed: boolean
}

function recordingClient(accept = () => true): RecordingClient {
  const client: RecordingClient = {
    received: [],
    payloads: [],
    closed: false,
    send(payload) {
      if (!accept())
        return false
      client.payloads.push(payload)
      client.received.push(new TextDecoder().decode(payload.bytes))
      return true
    },
    close() {
      client.closed = true
    },
  }
  return client
}

async function waitUntil(done: () => boolean, timeoutMs = 2000): Promise<void> {
  if (!await waitFor(done, timeoutMs, 5))
    throw new Error('Timed out')
}

interface SeenEvent {
  event: string
  id?: string
  data: { id: string | null, total?: number, state?: string }
}

/** The events of one write, as an EventSource would dispatch them (comments left out). */
function eventsOf(text: string): SeenEvent[] {
  return text.split('\n\n').filter(block => block && !block.startsWith(':') && !block.startsWith('retry')).map((block) => {
    const field = (name: string) => block.split('\n').find(line => line.startsWith(`${name}: `))?.slice(name.length + 2)
    return {
      event: field('event')!,
      id: field('id'),
      data: JSON.parse(field('data')!),
    }
  })
}

/** One write to a voting page: the current poll, then the status of the poll the page shows. */
function pageWrite(currentPoll: string | null, shown: string, total: number, state: string): SeenEvent[] {
  return [
    {
      event: 'current',
      id: undefined,
      data: { id: currentPoll },
    },
    {
      event: 'tally',
      id: shown,
      data: { id: shown, total, state },
    },
  ]
}

function totals(client: RecordingClient): number[] {
  return client.received.flatMap(eventsOf).filter(event => event.event === 'tally').map(event => event.data.total!)
}

let hub: EventHub | undefined
let renders = 0
let total = 0
let state = 'closed'
let currentId: string | null = null

function makeHub(options: Partial<EventHubOptions> = {}): EventHub {
  renders = 0
  total = 0
  state = 'closed'
  currentId = null
  hub = createEventHub({
    pollStatus: async (pollId) => {
      renders++
      return { id: pollId, total, state }
    },
    currentPoll: async () => currentId,
    fastIntervalMs: 50,
    phoneIntervalMs: 200,
    heartbeatMs: 60_000,
    ...options,
  })
  return hub
}

/** Votes keep coming for poll p, a change every 5 ms, for `ms`; returns how long they went on. */
async function keepVoting(events: EventHub, ms: number): Promise<number> {
  const started = performance.now()
  while (performance.now() - started < ms) {
    total++
    events.pollChanged('p')
    await sleep(5)
  }
  return performance.now() - started
}

afterEach(() => {
  hub?.close()
  hub = undefined
})

describe('event hub: the fast stream', () => {
  it('sends the current status to a new listener at once', async () => {
    const events = makeHub()
    total = 7
    const client = recordingClient()
    events.subscribePoll('p', client)
    await sleep(10)
    expect(client.received).toEqual(['event: tally\ndata: {"id":"p","total":7,"state":"closed"}\n\n'])
  })

  it('turns a burst of changes into one render and one event with the latest status', async () => {
    const events = makeHub()
    const client = recordingClient()
    events.subscribePoll('p', client)
    await sleep(10)
    for (let index = 1; index <= 40; index++) {
      total = index
      events.pollChanged('p')
    }
    await sleep(80)
    expect(totals(client)).toEqual([0, 40])
    expect(renders).toBe(2)
  })

  it('sends at most one event per interval while changes keep coming', async () => {
    const events = makeHub()
    const client = recordingClient()
    events.subscribePoll('p', client)
    await sleep(10)
    const elapsed = await keepVoting(events, 300)
    await sleep(80)
    const seen = totals(client)
    expect(seen.at(-1)).toBe(total)
    expect(seen.length - 1).toBeLessThanOrEqual(Math.ceil(elapsed / 50) + 1)
    expect(seen).toEqual([...seen].sort((a, b) => a - b))
  })

  it('renders once for many listeners and writes the same encoded bytes to each, once', async () => {
    const events = makeHub()
    const clients = Array.from({ length: 500 }, () => recordingClient())
    for (const client of clients)
      events.subscribePoll('p', client)
    await sleep(10)
    total = 1
    events.pollChanged('p')
    await sleep(80)
    expect(renders).toBe(2)
    for (const client of clients)
      expect(totals(client)).toEqual([0, 1])
    expect(new Set(clients.map(client => client.payloads[1]!.bytes)).size).toBe(1)
    expect(events.listenerCount()).toBe(500)
  })

  it('writes votes and a state change of the same moment as one event', async () => {
    const events = makeHub()
    const client = recordingClient()
    events.subscribePoll('p', client)
    await sleep(10)
    total = 2
    events.pollChanged('p')
    state = 'open'
    events.stateChanged('p')
    await sleep(80)
    expect(client.received).toHaveLength(2)
    expect(eventsOf(client.received[1]!)).toEqual([
      {
        event: 'tally',
        id: undefined,
        data: { id: 'p', total: 2, state: 'open' },
      },
    ])
  })

  it('waits for the store\'s writes under way before rendering, so the event counts the vote they bring', async () => {
    // A second vote is being committed when the first one's change arrives; the store answers it 20 ms later.
    let commit: Promise<void> | undefined
    const events = makeHub({
      settled: () => commit ?? Promise.resolve(),
      settleMs: 200,
    })
    const client = recordingClient()
    events.subscribePoll('p', client)
    await sleep(10)
    commit = sleep(20).then(() => {
      total = 2
      events.pollChanged('p')
    })
    total = 1
    events.pollChanged('p')
    await sleep(120)
    expect(totals(client)).toEqual([0, 2])
  })

  it('reads what has arrived before rendering an event due, so it also waits for the vote that was waiting', async () => {
    // The vote comes as I/O does (a message, handled when the event loop reads), in the same turn of timers as the
    // event falls due; its commit takes 10 ms.
    const writes = createPendingWrites()
    const events = makeHub({
      settled: writes.settled,
      settleMs: 200,
    })
    const client = recordingClient()
    events.subscribePoll('p', client)
    await sleep(10)
    const { port1, port2 } = new MessageChannel()
    port2.on('message', () => void writes.track(sleep(10).then(() => {
      total = 1
      events.pollChanged('p')
    })))
    state = 'open'
    events.stateChanged('p')
    // Fires right after the event's timer, before the event loop reads: the message is waiting when the event is due.
    setTimeout(() => port1.postMessage('vote'))
    await sleep(120)
    port1.close()
    expect(totals(client)).toEqual([0, 1])
    expect(eventsOf(client.received[1]!)[0]!.data.state).toBe('open')
  })

  it('holds an event for a store that does not answer no longer than settleMs', async () => {
    const events = makeHub({
      settled: () => new Promise(() => {}),
      settleMs: 30,
    })
    const client = recordingClient()
    events.subscribePoll('p', client)
    await sleep(10)
    total = 1
    const changedAt = performance.now()
    events.pollChanged('p')
    await waitUntil(() => totals(client).length === 2)
    expect(totals(client)).toEqual([0, 1])
    expect(performance.now() - changedAt).toBeGreaterThanOrEqual(25)
  })

  it('stops sending to a listener after it unsubscribes', async () => {
    const events = makeHub()
    const client = recordingClient()
    const unsubscribe = events.subscribePoll('p', client)
    await sleep(10)
    unsubscribe()
    total = 3
    events.pollChanged('p')
    await sleep(80)
    expect(totals(client)).toEqual([0])
    expect(events.listenerCount()).toBe(0)
  })

  it('drops a listener that cannot keep up and keeps serving the rest', async () => {
    const events = makeHub()
    let slowAccepts = true
    const slow = recordingClient(() => slowAccepts)
    const fast = recordingClient()
    events.subscribePoll('p', slow)
    events.subscribePoll('p', fast)
    await sleep(10)
    slowAccepts = false
    total = 1
    events.pollChanged('p')
    await sleep(80)
    expect(slow.closed).toBe(true)
    expect(totals(fast)).toEqual([0, 1])
    expect(events.listenerCount()).toBe(1)
  })

  it('catches up a listener that joined while the poll was changing', async () => {
    const events = makeHub({ fastIntervalMs: 30 })
    const early = recordingClient()
    events.subscribePoll('p', early)
    await sleep(10)
    const late = recordingClient()
    total = 1
    events.pollChanged('p')
    events.subscribePoll('p', late)
    total = 2
    events.pollChanged('p')
    await sleep(100)
    expect(totals(late).at(-1)).toBe(2)
    expect(totals(early).at(-1)).toBe(2)
  })

  /** Fans one change out to 100 listeners whose writes take 0.2 ms each; how many were written when other work first ran. */
  async function writtenBeforeOtherWork(options: Partial<EventHubOptions>, pace: Pace): Promise<number | undefined> {
    const events = makeHub(options)
    let written = 0
    let writtenWhenOtherWorkRan: number | undefined
    const clients = Array.from({ length: 100 }, () => {
      const client = recordingClient()
      const send = client.send
      client.send = (payload) => {
        const until = performance.now() + 0.2
        while (performance.now() < until);
        written++
        return send(payload)
      }
      return client
    })
    for (const client of clients)
      events.subscribePoll('p', client, pace)
    await waitUntil(() => written === 100)
    written = 0
    total = 1
    events.stateChanged('p')
    // Work that arrives while the fan-out runs (in a server: a vote).
    const send = clients[0]!.send
    clients[0]!.send = (payload) => {
      setImmediate(() => writtenWhenOtherWorkRan ??= written)
      return send(payload)
    }
    await waitUntil(() => written === 100)
    await sleep(0)
    events.close()
    return writtenWhenOtherWorkRan
  }

  it('lets other work run between slices of a fan-out', async () => {
    // A 2 ms slice holds about ten writes.
    const phones = await writtenBeforeOtherWork({ sliceMs: 2 }, 'phone')
    expect(phones).toBeGreaterThan(0)
    expect(phones).toBeLessThanOrEqual(30)
    const slide = await writtenBeforeOtherWork({ fastSliceMs: 2 }, 'fast')
    expect(slide).toBeGreaterThan(0)
    expect(slide).toBeLessThanOrEqual(30)
  })

  it('slices the fast stream and phones\' streams each by its own length', async () => {
    // A long fast slice writes all 100 listeners (20 ms) in one go; the phones' 2 ms slice lets other work in.
    const options = { fastSliceMs: 10_000, sliceMs: 2 }
    expect(await writtenBeforeOtherWork(options, 'fast')).toBe(100)
    expect(await writtenBeforeOtherWork(options, 'phone')).toBeLessThan(100)
  })
})

describe('event hub: phones', () => {
  it('sends a phone new votes at most once per phone interval, and the latest at the end', async () => {
    const events = makeHub({ phoneIntervalMs: 200 })
    const phone = recordingClient()
    const projector = recordingClient()
    events.subscribePoll('p', phone, 'phone')
    events.subscribePoll('p', projector)
    await sleep(10)
    const elapsed = await keepVoting(events, 700)
    await sleep(250)
    expect(totals(phone).at(-1)).toBe(total)
    expect(totals(phone).length - 1).toBeLessThanOrEqual(Math.ceil(elapsed / 200) + 1)
    expect(totals(projector).length).toBeGreaterThan(2 * totals(phone).length)
  })

  it('tells a phone of a state change at once, with the votes so far', async () => {
    const events = makeHub({ phoneIntervalMs: 10_000 })
    const phone = recordingClient()
    events.subscribePoll('p', phone, 'phone')
    await sleep(10)
    total = 1
    events.pollChanged('p') // the first change after a quiet while goes out at once
    await sleep(20)
    total = 2
    events.pollChanged('p')
    await sleep(50)
    expect(totals(phone)).toEqual([0, 1])
    state = 'open'
    events.stateChanged('p')
    await sleep(20)
    expect(eventsOf(phone.received.at(-1)!)).toEqual([
      {
        event: 'tally',
        id: undefined,
        data: { id: 'p', total: 2, state: 'open' },
      },
    ])
  })

  it('renders a poll once for all its listeners, and once more for the fast stream of a poll whose slide shows less', async () => {
    const views: string[] = []
    const events = makeHub({
      pollStatus: async (pollId, view) => {
        views.push(`${pollId}:${view}`)
        return { id: pollId, total, state }
      },
      hasSlideView: pollId => pollId === 'wall',
    })
    currentId = 'p'
    for (const pollId of ['p', 'wall']) {
      events.subscribePoll(pollId, recordingClient())
      events.subscribePoll(pollId, recordingClient(), 'phone')
    }
    events.subscribeFollower(recordingClient())
    events.subscribeFollower(recordingClient())
    await sleep(20)
    expect(views.sort()).toEqual(['p:full', 'wall:full', 'wall:slide'])
  })
})

describe('event hub: the voting page (followers)', () => {
  it('sends only the current poll while none was ever open', async () => {
    const events = makeHub()
    const page = recordingClient()
    events.subscribeFollower(page)
    await sleep(10)
    expect(page.received).toEqual(['event: current\ndata: {"id":null}\n\n'])
  })

  it('moves to a poll when it opens, stays on it when it closes, and moves on to the next, one write each', async () => {
    const events = makeHub()
    const page = recordingClient()
    events.subscribeFollower(page)
    await sleep(10)

    currentId = 'p'
    state = 'open'
    events.stateChanged('p')
    await sleep(20)
    expect(eventsOf(page.received[1]!)).toEqual(pageWrite('p', 'p', 0, 'open'))

    currentId = null
    state = 'closed'
    events.stateChanged('p')
    await sleep(20)
    expect(eventsOf(page.received[2]!)).toEqual(pageWrite(null, 'p', 0, 'closed'))

    currentId = 'q'
    state = 'open'
    events.stateChanged('q')
    await sleep(20)
    expect(page.received).toHaveLength(4)
    expect(eventsOf(page.received[3]!)).toEqual(pageWrite('q', 'q', 0, 'open'))
    expect(events.listenerCount()).toBe(1)
  })

  it('gives a page that reconnects while no poll is open the poll it showed', async () => {
    const events = makeHub()
    const page = recordingClient()
    events.subscribeFollower(page, 'quiz')
    await sleep(10)
    expect(eventsOf(page.received[0]!)).toEqual(pageWrite(null, 'quiz', 0, 'closed'))
  })

  it('gives a reconnecting page the open poll rather than the one it showed', async () => {
    const events = makeHub()
    currentId = 'q'
    const page = recordingClient()
    events.subscribeFollower(page, 'p')
    await sleep(20)
    expect(page.received).toHaveLength(1)
    expect(eventsOf(page.received[0]!).map(event => event.data.id)).toEqual(['q', 'q'])
  })

  it('sends followers new votes at a phone\'s pace', async () => {
    const events = makeHub({ phoneIntervalMs: 200 })
    currentId = 'p'
    const page = recordingClient()
    events.subscribeFollower(page)
    await sleep(10)
    await keepVoting(events, 500)
    await sleep(250)
    expect(totals(page).at(-1)).toBe(total)
    expect(totals(page).length).toBeLessThanOrEqual(1 + Math.ceil(500 / 200) + 1)
  })

  it('stops writing to a follower after it unsubscribes, wherever it moved', async () => {
    const events = makeHub()
    const page = recordingClient()
    const unsubscribe = events.subscribeFollower(page)
    await sleep(10)
    currentId = 'p'
    events.stateChanged('p')
    await sleep(20)
    unsubscribe()
    expect(events.listenerCount()).toBe(0)
    currentId = 'q'
    events.stateChanged('q')
    await sleep(20)
    expect(page.received).toHaveLength(2)
  })
})

describe('event hub: keeping streams open and closing them', () => {
  it('sends heartbeat comments to quiet streams and closes every stream on close', async () => {
    const events = makeHub({ heartbeatMs: 30 })
    const client = recordingClient()
    const page = recordingClient()
    events.subscribePoll('p', client)
    events.subscribeFollower(page)
    await sleep(100)
    expect(client.received.filter(text => text.startsWith(':')).length).toBeGreaterThanOrEqual(1)
    expect(page.received.filter(text => text.startsWith(':')).length).toBeGreaterThanOrEqual(1)
    events.close()
    expect(client.closed).toBe(true)
    expect(page.closed).toBe(true)
    expect(client.received.at(-1)).toMatch(/^retry: \d+\n\n$/)
  })
})

describe('event hub: reads', () => {
  it('renders a poll\'s status once per change however many read it, and a change is read at once', async () => {
    const events = makeHub()
    total = 3
    const reads = await Promise.all(Array.from({ length: 50 }, () => events.statusJson('p')))
    expect(new Set(reads)).toEqual(new Set(['{"id":"p","total":3,"state":"closed"}']))
    await events.statusJson('p')
    expect(renders).toBe(1)
    total = 4
    events.pollChanged('p')
    expect(await events.statusJson('p')).toBe('{"id":"p","total":4,"state":"closed"}')
    expect(renders).toBe(2)
  })
})
