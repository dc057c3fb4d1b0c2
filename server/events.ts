import type { Pace, StatusView } from '../polls/types.ts'
import type { SseClient, SsePayload } from './sse-stream.ts'
import { sseEvent, ssePayload } from './sse-stream.ts'
import { within } from './within.ts'

/**
 * The event hub: every open event stream, in groups that receive the same bytes. A change only marks what it
 * touches; when a group is due, it reads what has arrived and waits briefly for the store's writes under way (so
 * the event counts the votes that came before it), its event is rendered once (one status query per poll, view and
 * version, shared by every group showing that poll, one JSON.stringify, one encode) and the same bytes are written
 * to each of its listeners, once per listener and flush, in slices that let waiting votes in between.
 *
 * Three kinds of group, by who listens:
 * - `fast`, per poll (the slide and the presenter, `/api/polls/:id/events`): `tally` at once, then at most
 *   once per `fastIntervalMs` while votes come.
 * - `phone`, per poll (a phone on one poll's page, `…/events?pace=phone`): state changes at once, votes at most
 *   once per `phoneIntervalMs`: the phone shows no live bars, it needs to know when the poll opens, closes or
 *   reveals its answer.
 * - followers, per shown poll (the voting page `/v`, `/api/events`): the `current` poll and the `tally` of the
 *   poll the page shows, at a phone's pace, in one write. The page shows the open poll; when none is open it stays
 *   on the one it showed (to show it closed, or a quiz's answer). When a poll opens, every follower moves to it.
 */

export interface EventHubOptions {
  /** The `tally` event's data for a poll: all of it, or what the slide shows (for the fast stream). */
  pollStatus: (pollId: string, view: StatusView) => Promise<unknown>
  /** Whether the slide shows less of the poll than its whole status (an idea wall); otherwise both views are one. */
  hasSlideView?: (pollId: string) => boolean
  /** The id of the poll the voting page should show, or null. */
  currentPoll: () => Promise<string | null>
  /** The fast stream's least time between two events (default 40 ms; a vote's event waits that, then its rendering and fan-out). */
  fastIntervalMs?: number
  /** A phone's least time between two events carrying only new votes (default 1000 ms). */
  phoneIntervalMs?: number
  /** How long a fan-out to phones writes before it lets the event loop take other work (votes) in between (default 4 ms). */
  sliceMs?: number
  /**
   * The same for the fast stream (default 30 ms): its few listeners (the slide, the presenter, a few thousand in a
   * storm) are written in one go, so that the votes let in between do not hold up the event everyone waits for.
   */
  fastSliceMs?: number
  heartbeatMs?: number
  /**
   * Resolves once the store has answered the writes it accepted so far (PollStore.settled). An event due waits for
   * it, at most `settleMs` (default 15 ms), before it is rendered: it then counts the votes the server has already
   * read. Without it, a vote read while an event is being written to thousands of listeners is committed behind
   * that fan-out and counted an event later.
   */
  settled?: () => Promise<void>
  settleMs?: number
  onError?: (error: unknown) => void
}

export interface EventHub {
  /** Sends the poll's status at once and on every change, at the pace given; returns the unsubscribe function. */
  subscribePoll: (pollId: string, client: SseClient, pace?: Pace) => () => void
  /**
   * The voting page's stream: `current` and the status of the poll it shows, at once and at a phone's pace.
   * `shown` is the poll the page showed before (after a reconnect), kept while no poll is open.
   */
  subscribeFollower: (client: SseClient, shown?: string) => () => void
  /**
   * A poll's status as JSON, as the streams carry it: rendered once per change however many ask, so reading it costs
   * nothing between changes (GET /api/polls/:id is served from here).
   */
  statusJson: (pollId: string) => Promise<string>
  /** Votes changed. */
  pollChanged: (pollId: string) => void
  /** State changed: the poll's status and possibly the current poll. */
  stateChanged: (pollId: string) => void
  listenerCount: () => number
  /**
   * Ends every stream, first telling each listener to reconnect after a random short while: behind a balancer
   * they land on another server, and not all at the same instant.
   */
  close: () => void
}

/** A changing value (a poll's status, the current poll), rendered once per version however many groups ask. */
interface Feed<T> {
  version: number
  latest: () => Promise<T>
}

interface Group {
  intervalMs: number
  sliceMs: number
  /** Grows with every change of what the group shows. */
  version: () => number
  render: () => Promise<string>
  cache?: { version: number, payload: SsePayload }
  clients: Set<SseClient>
  /** New listeners: sent the latest event on the next flush, then moved into `clients`. */
  arrivals: Set<SseClient>
  /** The version every listener in `clients` has been sent. */
  sentVersion: number
  /** When `clients` are due their next event; Infinity while nothing new is waiting. */
  dueAt: number
  /** No flush before this (after a failed rendering). */
  retryAt: number
  lastFlushAt: number
  lastWriteAt: number
  timer?: ReturnType<typeof setTimeout>
  timerAt: number
  flushing: boolean
  /** Followers only: the poll this group's pages show (null: none yet). */
  shown?: string | null
}

const RECONNECT_SPREAD_MS = 1500
const HEARTBEAT = ssePayload(': ping\n\n')

function reconnectAfter(spreadMs: number): SsePayload {
  return ssePayload(`retry: ${250 + Math.floor(Math.random() * spreadMs)}\n\n`)
}

/** Lets the event loop run what is waiting (incoming votes, the store's answers) before going on. */
function yieldToEventLoop(): Promise<void> {
  return new Promise(resolve => setImmediate(resolve))
}

function createFeed<T>(render: () => Promise<T>): Feed<T> {
  let cache: { version: number, value: T } | undefined
  let pending: { version: number, promise: Promise<T> } | undefined
  const feed: Feed<T> = {
    version: 0,
    latest() {
      const version = feed.version
      if (cache?.version === version)
        return Promise.resolve(cache.value)
      if (pending?.version === version)
        return pending.promise
      const promise = render().then((value) => {
        if ((cache?.version ?? -1) < version)
          cache = { version, value }
        return value
      })
      pending = { version, promise }
      const forget = () => {
        if (pending?.promise === promise)
          pending = undefined
      }
      promise.then(forget, forget)
      return promise
    },
  }
  return feed
}

export function createEventHub(options: EventHubOptions): EventHub {
  const fastIntervalMs = options.fastIntervalMs ?? 40
  const phoneIntervalMs = options.phoneIntervalMs ?? 1000
  const slices: Record<Pace, number> = { fast: options.fastSliceMs ?? 30, phone: options.sliceMs ?? 4 }
  const heartbeatMs = options.heartbeatMs ?? 15_000
  const settleMs = options.settleMs ?? 15
  const onError = options.onError ?? (error => console.error('SSE:', error))
  const intervals: Record<Pace, number> = { fast: fastIntervalMs, phone: phoneIntervalMs }

  const statuses: Record<StatusView, Map<string, Feed<string>>> = {
    full: new Map(),
    slide: new Map(),
  }
  // The projector's fast stream carries what the slide shows; phones and reads get the whole status.
  const viewOf: Record<Pace, StatusView> = { fast: 'slide', phone: 'full' }
  const current = createFeed(options.currentPoll)
  const pollGroups: Record<Pace, Map<string, Group>> = {
    fast: new Map(),
    phone: new Map(),
  }
  const followerGroups = new Map<string | null, Group>()
  let closed = false

  const everyGroup = () => [
    ...pollGroups.fast.values(),
    ...pollGroups.phone.values(),
    ...followerGroups.values(),
  ]

  // Half the interval: a group that was written to since the last beat is skipped, and none waits longer than heartbeatMs.
  const heartbeatTimer = setInterval(() => {
    const quietSince = Date.now() - heartbeatMs / 2
    for (const group of everyGroup()) {
      if (group.lastWriteAt <= quietSince && group.clients.size > 0) {
        group.lastWriteAt = Date.now()
        void writeAll(group, group.clients, HEARTBEAT)
      }
    }
  }, heartbeatMs / 2)
  heartbeatTimer.unref()

  function statusFeed(pollId: string, asked: StatusView = 'full'): Feed<string> {
    // Most polls show on the slide what phones get: one rendering serves both.
    const view = asked === 'slide' && options.hasSlideView?.(pollId)
      ? 'slide'
      : 'full'
    let feed = statuses[view].get(pollId)
    if (!feed) {
      feed = createFeed(async () => JSON.stringify(await options.pollStatus(pollId, view)))
      statuses[view].set(pollId, feed)
    }
    return feed
  }

  /** Every rendering of the poll's status is out of date. */
  function bump(pollId: string): void {
    statusFeed(pollId, 'full').version++
    const slide = statusFeed(pollId, 'slide')
    if (slide !== statusFeed(pollId, 'full'))
      slide.version++
  }

  const tallyEvent = (json: string) => sseEvent('tally', json, { rendered: true })

  function createGroup(pace: Pace, version: () => number, render: () => Promise<string>): Group {
    return {
      intervalMs: intervals[pace],
      sliceMs: slices[pace],
      version,
      render,
      clients: new Set(),
      arrivals: new Set(),
      sentVersion: -1,
      dueAt: Number.POSITIVE_INFINITY,
      retryAt: 0,
      lastFlushAt: 0,
      lastWriteAt: 0,
      timerAt: Number.POSITIVE_INFINITY,
      flushing: false,
    }
  }

  function pollGroup(pollId: string, pace: Pace): Group {
    let group = pollGroups[pace].get(pollId)
    if (!group) {
      const feed = statusFeed(pollId, viewOf[pace])
      group = createGroup(pace, () => feed.version, async () => tallyEvent(await feed.latest()))
      pollGroups[pace].set(pollId, group)
    }
    return group
  }

  function followerGroup(shown: string | null): Group {
    let group = followerGroups.get(shown)
    if (!group) {
      const feed = shown === null
        ? undefined
        : statusFeed(shown)
      // The poll's id as the event id: a browser reconnecting by itself sends it back as Last-Event-ID.
      const eventId = shown === null
        ? ''
        : `id: ${encodeURIComponent(shown)}\n`
      group = createGroup('phone', () => current.version + (feed?.version ?? 0), async () => {
        const [currentId, status] = await Promise.all([
          current.latest(),
          feed?.latest(),
        ])
        return sseEvent('current', { id: currentId }) + (status === undefined
          ? ''
          : eventId + tallyEvent(status))
      })
      group.shown = shown
      followerGroups.set(shown, group)
    }
    return group
  }

  async function payloadOf(group: Group): Promise<{ version: number, payload: SsePayload }> {
    const version = group.version()
    if (group.cache?.version !== version) {
      group.cache = {
        version,
        payload: ssePayload(await group.render()),
      }
    }
    return group.cache
  }

  /**
   * Writes one payload to each listener, yielding to the event loop after every slice of writing. With `into`,
   * each listener written to moves there (new listeners joining `clients`); one that fell behind is dropped.
   */
  async function writeAll(group: Group, clients: Set<SseClient>, payload: SsePayload, into?: Set<SseClient>): Promise<void> {
    let sliceEnds = performance.now() + group.sliceMs
    for (const client of clients) {
      if (closed)
        return
      const sent = client.send(payload)
      if (into || !sent)
        clients.delete(client)
      if (sent)
        into?.add(client)
      else
        client.close()
      if (performance.now() >= sliceEnds) {
        await yieldToEventLoop()
        sliceEnds = performance.now() + group.sliceMs
      }
    }
    group.lastWriteAt = Date.now()
  }

  /**
   * Waits for the store's writes under way, but not long: a slow disk must not hold every event up. The event loop
   * first reads what has arrived meanwhile (a flush starts from a timer, before the loop reads its sockets): votes
   * already waiting when the event is due then join the writes waited for, instead of the next event.
   */
  async function settle(): Promise<void> {
    if (!options.settled)
      return
    await yieldToEventLoop()
    await within(options.settled(), settleMs, undefined)
  }

  /** Asks for a flush when the group's listeners are due one, or at once for new listeners. */
  function arm(group: Group): void {
    if (closed || group.flushing)
      return
    const wanted = Math.max(group.retryAt, group.arrivals.size > 0
      ? 0
      : group.dueAt)
    if (wanted === Number.POSITIVE_INFINITY || (group.timer && group.timerAt <= wanted))
      return
    clearTimeout(group.timer)
    group.timerAt = wanted
    group.timer = setTimeout(() => void flush(group), Math.max(0, wanted - Date.now()))
  }

  /** Something the group shows changed: `urgent` (state) at once, else at the group's pace. */
  function touch(group: Group, urgent: boolean): void {
    if (group.clients.size === 0)
      return
    group.dueAt = Math.min(group.dueAt, urgent
      ? Date.now()
      : group.lastFlushAt + group.intervalMs)
    arm(group)
  }

  /** A follower group whose poll is no longer the one to show hands its listeners to the current poll's group. */
  async function moveFollowers(group: Group): Promise<boolean> {
    const currentId = await current.latest()
    if (currentId === null || currentId === group.shown)
      return false
    const target = followerGroup(currentId)
    for (const clients of [group.clients, group.arrivals]) {
      for (const client of clients)
        target.arrivals.add(client)
      clients.clear()
    }
    arm(target)
    return true
  }

  async function flush(group: Group): Promise<void> {
    group.timer = undefined
    group.timerAt = Number.POSITIVE_INFINITY
    group.flushing = true
    const now = Date.now()
    const due = now >= group.dueAt
    if (due) {
      group.dueAt = Number.POSITIVE_INFINITY
      group.lastFlushAt = now
    }
    try {
      if (group.shown !== undefined && await moveFollowers(group))
        return
      // Everyone left since the change: nothing to render.
      if (group.clients.size === 0 && group.arrivals.size === 0)
        return
      if (due)
        await settle()
      const { version, payload } = await payloadOf(group)
      if (due && version !== group.sentVersion) {
        await writeAll(group, group.clients, payload)
        group.sentVersion = version
      }
      if (group.arrivals.size > 0) {
        if (group.clients.size === 0)
          group.sentVersion = version
        await writeAll(group, group.arrivals, payload, group.clients)
      }
    }
    catch (error) {
      onError(error)
      // Try again later (the store may be away): listeners keep what they have, new ones wait.
      group.retryAt = Date.now() + Math.max(group.intervalMs, 100)
      if (due)
        group.dueAt = group.retryAt
    }
    finally {
      group.flushing = false
      if (group.retryAt <= Date.now())
        group.retryAt = 0
      if (group.version() !== group.sentVersion && group.clients.size > 0)
        group.dueAt = Math.min(group.dueAt, group.lastFlushAt + group.intervalMs)
      arm(group)
    }
  }

  function join(group: Group, client: SseClient): void {
    if (closed) {
      client.close()
      return
    }
    group.arrivals.add(client)
    arm(group)
  }

  function pollChanged(pollId: string): void {
    bump(pollId)
    for (const pace of ['fast', 'phone'] as const)
      touch(pollGroup(pollId, pace), false)
    touch(followerGroup(pollId), false)
  }

  return {
    subscribePoll(pollId, client, pace = 'fast') {
      const group = pollGroup(pollId, pace)
      join(group, client)
      return () => {
        group.arrivals.delete(client)
        group.clients.delete(client)
      }
    },
    subscribeFollower(client, shown) {
      join(followerGroup(shown ?? null), client)
      return () => {
        for (const group of followerGroups.values()) {
          group.arrivals.delete(client)
          group.clients.delete(client)
        }
      }
    },
    statusJson: pollId => statusFeed(pollId).latest(),
    pollChanged,
    stateChanged(pollId) {
      bump(pollId)
      current.version++
      for (const pace of ['fast', 'phone'] as const)
        touch(pollGroup(pollId, pace), true)
      // Every follower hears of the current poll; those on another poll move when a new one opens.
      for (const group of followerGroups.values())
        touch(group, true)
    },
    listenerCount: () => everyGroup().reduce((sum, group) => sum + group.clients.size + group.arrivals.size, 0),
    close() {
      closed = true
      clearInterval(heartbeatTimer)
      for (const group of everyGroup()) {
        clearTimeout(group.timer)
        for (const clients of [group.clients, group.arrivals]) {
          for (const client of clients) {
            client.send(reconnectAfter(RECONNECT_SPREAD_MS))
            client.close()
          }
          clients.clear()
        }
      }
    },
  }
}
