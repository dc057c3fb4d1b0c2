// @vitest-environment node
// @vitest-environment node
import type { EventHub, SseClient } from '../../server/events.ts'
import { afterEach, describe, expect, it } from 'vitest'
import { createEventHub } from '../../server/events.ts'

interface RecordingClient extends SseClient {
  received: string[]
  closed: boolean
}

function recordingClient(accept = () => true): RecordingClient {
  const client: RecordingClient = {
    received: [],
    closed: false,
    send(chunk) {
      if (!accept())
        return false
      client.received.push(new TextDecoder().decode(chunk))
      return true
    },
    close() {
      client.closed = true
    },
  }
  return client
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

function totals(client: RecordingClient): number[] {
  return client.received.filter(text => text.startsWith('event: tally')).map(text => JSON.parse(text.split('data: ')[1]!).total as number)
}

let hub: EventHub | undefined
let renders = 0
let total = 0
let currentId: string | null = null

function makeHub(flushIntervalMs = 50, heartbeatMs = 60_000): EventHub {
  renders = 0
  total = 0
  hub = createEventHub({
    pollStatus: async (pollId) => {
      renders++
      return { id: pollId, total }
    },
    currentPoll: async () => currentId,
    flushIntervalMs,
    heartbeatMs,
  })
  return hub
}

afterEach(() => {
  hub?.close()
  hub = undefined
})

describe('event hub', () => {
  it('sends the current status to a new listener at once', async () => {
    const events = makeHub()
    total = 7
    const client = recordingClient()
    events.subscribePoll('p', client)
    await sleep(5)
    expect(client.received).toEqual(['event: tally\ndata: {"id":"p","total":7}\n\n'])
  })

  it('turns a burst of changes into one render and one event with the latest status', async () => {
    const events = makeHub(50)
    const client = recordingClient()
    events.subscribePoll('p', client)
    await sleep(5)
    for (let index = 1; index <= 40; index++) {
      total = index
      events.pollChanged('p')
    }
    await sleep(80)
    expect(totals(client)).toEqual([0, 40])
    expect(renders).toBe(2)
  })

  it('sends at most one event per interval while changes keep coming', async () => {
    const events = makeHub(50)
    const client = recordingClient()
    events.subscribePoll('p', client)
    await sleep(5)
    const started = performance.now()
    while (performance.now() - started < 300) {
      total++
      events.pollChanged('p')
      await sleep(5)
    }
    const elapsed = performance.now() - started
    await sleep(80)
    const seen = totals(client)
    expect(seen.at(-1)).toBe(total)
    expect(seen.length - 1).toBeLessThanOrEqual(Math.ceil(elapsed / 50) + 1)
    expect(seen).toEqual([...seen].sort((a, b) => a - b))
  })

  it('renders once for many listeners and sends them the same bytes', async () => {
    const events = makeHub()
    const clients = Array.from({ length: 500 }, () => recordingClient())
    for (const client of clients)
      events.subscribePoll('p', client)
    await sleep(5)
    total = 1
    events.pollChanged('p')
    await sleep(80)
    expect(renders).toBe(2)
    for (const client of clients)
      expect(totals(client)).toEqual([0, 1])
    expect(events.listenerCount()).toBe(500)
  })

  it('stops sending to a listener after it unsubscribes', async () => {
    const events = makeHub()
    const client = recordingClient()
    const unsubscribe = events.subscribePoll('p', client)
    await sleep(5)
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
    await sleep(5)
    slowAccepts = false
    total = 1
    events.pollChanged('p')
    await sleep(80)
    expect(slow.closed).toBe(true)
    expect(totals(fast)).toEqual([0, 1])
    expect(events.listenerCount()).toBe(1)
  })

  it('catches up a listener that joined while the poll was changing', async () => {
    const events = makeHub(30)
    const early = recordingClient()
    events.subscribePoll('p', early)
    await sleep(5)
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

  it('announces the current poll on connect and after state changes', async () => {
    const events = makeHub()
    currentId = null
    const client = recordingClient()
    events.subscribeCurrent(client)
    await sleep(5)
    currentId = 'p'
    events.stateChanged('p')
    await sleep(80)
    expect(client.received).toEqual(['event: current\ndata: {"id":null}\n\n', 'event: current\ndata: {"id":"p"}\n\n'])
  })

  it('sends heartbeat comments and closes every stream on close', async () => {
    const events = makeHub(50, 30)
    const client = recordingClient()
    events.subscribePoll('p', client)
    await sleep(80)
    expect(client.received.filter(text => text.startsWith(':')).length).toBeGreaterThanOrEqual(1)
    events.close()
    expect(client.closed).toBe(true)
  })
})
