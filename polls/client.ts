/**
 * The browser's client for the poll server, shared by the deck and the voting page. Framework-free on
 * purpose: `usePoll` wraps it for Vue. One client per page; one EventSource per stream, however many
 * components listen to it.
 */
import type { IdeaState, Pace, PollState, PollStatus } from './types.ts'
import { pollServerUrl } from './poll-server.ts'

/**
 * `connecting`: no answer yet. `live`: the stream is delivering. `reconnecting`: it was live (or the
 * server answered) and the link dropped; we keep trying. `unreachable`: never an answer, and the last try
 * failed: the network, or the browser refused the answer (a deck on an origin the server's
 * POLL_ALLOWED_ORIGINS does not list); we keep trying. `absent`: no poll server here (a static host
 * answered, or it does not know the poll): we stop asking.
 */
export type Connection = 'connecting' | 'live' | 'reconnecting' | 'unreachable' | 'absent'

export interface StreamUpdate<T> {
  data: T | undefined
  connection: Connection
}

export type StreamListener<T> = (update: StreamUpdate<T>) => void

/** The `current` event: the poll open now, or null. */
export interface CurrentPoll {
  id: string | null
}

/** What the voting page follows (`/api/events`): one stream, at a phone's pace. */
export interface FollowedPoll {
  /** The poll to show: the open one, else the one shown before; null while none has been open. */
  id: string | null
  /** Its status (state changes at once, new votes at most about once a second); undefined until it arrives. */
  status?: PollStatus
}

export interface ApiResult {
  ok: boolean
  /** The HTTP status, or 0 when the server could not be reached. */
  status: number
  /** The server's `{ error }` message, or a network failure; undefined when ok. */
  error?: string
  /** The JSON answer of a successful request. */
  body?: unknown
  /** The answer of a successful request that is not JSON (a CSV download). */
  text?: string
}

/** What the presenter is told when a request did not go through: the server's own words, or that it is away. */
export function problemText(result: Pick<ApiResult, 'status' | 'error'>): string {
  return result.status === 0
    ? 'Ingen kontakt med serveren – prøv igjen.'
    : `Det gikk ikke: ${result.error ?? result.status}`
}

export interface PollClientOptions {
  /** Prefix for every API path; '' is this page's origin. */
  baseUrl?: string
  EventSource?: typeof EventSource
  fetch?: typeof fetch
  /** Waits between attempts after a network failure; the last one repeats. */
  retryDelaysMs?: number[]
  /** Keep a stream open this long after its last listener leaves, so quick slide changes don't reconnect. */
  lingerMs?: number
}

export interface PollClient {
  /** A poll's status: `fast` (every update, for the slide and the presenter) or at a phone's `pace`. */
  watchPoll: (id: string, listener: StreamListener<PollStatus>, pace?: Pace) => () => void
  /** The poll the voting page shows and its status, over one stream. */
  watchFollowed: (listener: StreamListener<FollowedPoll>) => () => void
  /** The last status received for a poll, without opening a stream. */
  peekPoll: (id: string) => PollStatus | undefined
  joinUrl: () => Promise<string | undefined>
  castVote: (id: string, voter: string, choice: unknown) => Promise<ApiResult>
  setPollState: (id: string, change: { state?: PollState, revealed?: boolean }, token: string) => Promise<ApiResult>
  resetVotes: (id: string, token: string) => Promise<ApiResult>
  /** Brings back what «Nullstill» set aside in the current session: `{ restored, status }`. */
  restoreVotes: (id: string, token: string) => Promise<ApiResult>
  /** A free-text poll's answers for moderation: `[{ item, votes, hidden }]`, newest first. */
  answers: (id: string, token: string) => Promise<ApiResult>
  setAnswerHidden: (id: string, answer: string, hidden: boolean, token: string) => Promise<ApiResult>
  /** The poll's status as the presenter sees it (an idea wall: also its waiting and hidden ideas, each with `state`). */
  pollStatus: (id: string, token: string) => Promise<ApiResult>
  /** Shares an idea on an idea wall: `201 { id, text, state }`. */
  shareIdea: (id: string, voter: string, text: string) => Promise<ApiResult>
  /** Lifts an idea, or withdraws the lift: `{ lifted }`. */
  liftIdea: (id: string, ideaId: string, voter: string, lifted: boolean) => Promise<ApiResult>
  setIdeaState: (id: string, ideaId: string, state: IdeaState, token: string) => Promise<ApiResult>
  /** Every session with voters per poll: `[{ id, name, startedAt, current, totals }]`. */
  sessions: (token: string) => Promise<ApiResult>
  startSession: (name: string, token: string) => Promise<ApiResult>
  deleteSession: (sessionId: number, token: string) => Promise<ApiResult>
  sessionPoll: (sessionId: number, id: string, token: string) => Promise<ApiResult>
  /** Every poll of a session as CSV, in `text`. */
  sessionCsv: (sessionId: number, token: string) => Promise<ApiResult>
}

interface Stream<T> {
  subscribe: (listener: StreamListener<T>) => () => void
  current: () => T | undefined
}

type ProbeOutcome = 'server' | 'absent' | 'unreachable'

/** How each event a stream listens to turns the stream's data into its next value. */
type EventReducers<T> = Record<string, (data: unknown, previous: T | undefined) => T>

const jsonHeaders = { 'content-type': 'application/json' }

function isJson(response: Response): boolean {
  return (response.headers.get('content-type') ?? '').includes('application/json')
}

export function createPollClient(options: PollClientOptions = {}): PollClient {
  const baseUrl = options.baseUrl ?? ''
  const EventSourceImpl = options.EventSource ?? globalThis.EventSource
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const retryDelaysMs = options.retryDelaysMs ?? [1000, 2000, 5000, 10_000, 15_000]
  const lingerMs = options.lingerMs ?? 2000

  /** Asks a plain JSON endpoint whether a poll server is behind this origin at all. */
  async function probe(path: string, accept: (body: unknown) => void): Promise<ProbeOutcome> {
    try {
      const response = await fetchImpl(baseUrl + path, {
        headers: { accept: 'application/json' },
      })
      if (!response.ok || !isJson(response))
        return 'absent'
      accept(await response.json())
      return 'server'
    }
    catch {
      return 'unreachable'
    }
  }

  /**
   * A shared EventSource on `path` (asked each time it opens). When it fails for good, `probePath` (plain JSON)
   * tells a dead link (retry) from a host without a poll server (give up); `fromProbe` may take fresh data from its answer.
   */
  function createStream<T>(path: () => string, reducers: EventReducers<T>, probePath: string, fromProbe?: (body: unknown) => T): Stream<T> {
    const listeners = new Set<StreamListener<T>>()
    let data: T | undefined
    let connection: Connection = 'connecting'
    let source: EventSource | undefined
    let retryTimer: ReturnType<typeof setTimeout> | undefined
    let lingerTimer: ReturnType<typeof setTimeout> | undefined
    let failures = 0

    function publish(): void {
      for (const listener of listeners)
        listener({ data, connection })
    }

    function setConnection(next: Connection): void {
      if (next !== connection) {
        connection = next
        publish()
      }
    }

    function lostConnection(): Connection {
      return data === undefined
        ? 'connecting'
        : 'reconnecting'
    }

    function failedConnection(): Connection {
      return data === undefined
        ? 'unreachable'
        : 'reconnecting'
    }

    function open(): void {
      if (source || retryTimer || connection === 'absent' || !EventSourceImpl)
        return
      const stream = new EventSourceImpl(baseUrl + path())
      source = stream
      for (const [eventName, reduce] of Object.entries(reducers)) {
        stream.addEventListener(eventName, (event) => {
          data = reduce(JSON.parse((event as MessageEvent<string>).data), data)
          connection = 'live'
          failures = 0
          publish()
        })
      }
      stream.addEventListener('error', () => {
        if (stream.readyState !== stream.CLOSED) {
          // The browser retries by itself (network hiccup, server restart).
          setConnection(failedConnection())
          return
        }
        // Closed for good: an HTTP error or not an event stream. Find out whether a server is there.
        stream.close()
        source = undefined
        void recover()
      })
    }

    async function recover(): Promise<void> {
      const outcome = await probe(probePath, (body) => {
        if (fromProbe)
          data = fromProbe(body)
      })
      if (listeners.size === 0)
        return
      connection = {
        absent: 'absent' as const,
        unreachable: failedConnection(),
        server: lostConnection(),
      }[outcome]
      publish()
      if (outcome === 'absent')
        return
      // Back off even when the server answered: a stream that keeps failing must not become a busy loop.
      const delay = retryDelaysMs[Math.min(failures, retryDelaysMs.length - 1)] ?? 5000
      failures++
      retryTimer = setTimeout(() => {
        retryTimer = undefined
        if (listeners.size > 0)
          open()
      }, delay)
    }

    function close(): void {
      source?.close()
      source = undefined
      clearTimeout(retryTimer)
      retryTimer = undefined
      if (connection !== 'absent')
        connection = lostConnection()
    }

    return {
      current: () => data,
      subscribe(listener) {
        clearTimeout(lingerTimer)
        listeners.add(listener)
        listener({ data, connection })
        open()
        return () => {
          listeners.delete(listener)
          if (listeners.size === 0)
            lingerTimer = setTimeout(close, lingerMs)
        }
      },
    }
  }

  const pollStreams: Record<Pace, Map<string, Stream<PollStatus>>> = {
    fast: new Map(),
    phone: new Map(),
  }
  let followStream: Stream<FollowedPoll> | undefined
  let joinRequest: Promise<string | undefined> | undefined

  function pollStream(id: string, pace: Pace): Stream<PollStatus> {
    let stream = pollStreams[pace].get(id)
    if (!stream) {
      const path = `/api/polls/${encodeURIComponent(id)}`
      const events = `${path}/events${pace === 'phone'
        ? '?pace=phone'
        : ''}`
      stream = createStream(() => events, {
        tally: data => data as PollStatus,
      }, path, body => body as PollStatus)
      pollStreams[pace].set(id, stream)
    }
    return stream
  }

  /**
   * The server moves the stream to each poll that opens and keeps it on that poll while none is open. A `current`
   * event comes with the `tally` of the poll it names, so the page switches on the tally; a new stream (after a
   * failure) names the poll shown so far, which the server keeps while no poll is open.
   */
  function followedStream(): Stream<FollowedPoll> {
    followStream ??= createStream<FollowedPoll>(
      () => {
        const shown = followStream?.current()?.id
        return shown
          ? `/api/events?poll=${encodeURIComponent(shown)}`
          : '/api/events'
      },
      {
        current: (data, previous) => previous?.status
          ? previous
          : { id: (data as CurrentPoll).id },
        tally: data => ({ id: (data as PollStatus).id, status: data as PollStatus }),
      },
      // A small answer that tells a poll server from a static host (not every poll's status, to thousands of phones).
      '/api/join',
    )
    return followStream
  }

  async function send(method: string, path: string, body: unknown, token?: string): Promise<ApiResult> {
    const headers: Record<string, string> = body === undefined
      ? {}
      : { ...jsonHeaders }
    if (token)
      headers.authorization = `Bearer ${token}`
    try {
      const response = await fetchImpl(baseUrl + path, {
        method,
        headers,
        body: body === undefined
          ? undefined
          : JSON.stringify(body),
      })
      if (response.ok) {
        return isJson(response)
          ? { ok: true, status: response.status, body: await response.json() }
          : { ok: true, status: response.status, text: await response.text() }
      }
      const message = isJson(response)
        ? (await response.json() as { error?: unknown }).error
        : undefined
      return {
        ok: false,
        status: response.status,
        error: typeof message === 'string'
          ? message
          : response.statusText,
      }
    }
    catch (error) {
      return {
        ok: false,
        status: 0,
        error: error instanceof Error
          ? error.message
          : String(error),
      }
    }
  }

  return {
    watchPoll: (id, listener, pace = 'fast') => pollStream(id, pace).subscribe(listener),
    watchFollowed: listener => followedStream().subscribe(listener),
    // The deck's view of a poll: what its fast stream last said (a phone's stream may hold another view of it).
    peekPoll: id => pollStreams.fast.get(id)?.current(),
    joinUrl() {
      joinRequest ??= fetchImpl(`${baseUrl}/api/join`)
        .then(async response => response.ok && isJson(response)
          ? (await response.json() as { url?: unknown }).url
          : undefined)
        .then(url => typeof url === 'string'
          ? url
          : undefined)
        .catch(() => {
          joinRequest = undefined // ask again next time: the server may just be starting
          return undefined
        })
      return joinRequest
    },
    castVote: (id, voter, choice) => send('POST', `/api/polls/${encodeURIComponent(id)}/votes`, { voter, choice }),
    setPollState: (id, change, token) => send('POST', `/api/polls/${encodeURIComponent(id)}/state`, change, token),
    resetVotes: (id, token) => send('DELETE', `/api/polls/${encodeURIComponent(id)}/votes`, undefined, token),
    restoreVotes: (id, token) => send('POST', `/api/polls/${encodeURIComponent(id)}/votes/restore`, undefined, token),
    answers: (id, token) => send('GET', `/api/polls/${encodeURIComponent(id)}/answers`, undefined, token),
    setAnswerHidden: (id, answer, hidden, token) => send('POST', `/api/polls/${encodeURIComponent(id)}/answers/hidden`, { answer, hidden }, token),
    pollStatus: (id, token) => send('GET', `/api/polls/${encodeURIComponent(id)}`, undefined, token),
    shareIdea: (id, voter, text) => send('POST', `/api/polls/${encodeURIComponent(id)}/ideas`, { voter, text }),
    liftIdea: (id, ideaId, voter, lifted) => send(lifted
      ? 'POST'
      : 'DELETE', `/api/polls/${encodeURIComponent(id)}/ideas/${encodeURIComponent(ideaId)}/lifts`, { voter }),
    setIdeaState: (id, ideaId, state, token) => send('POST', `/api/polls/${encodeURIComponent(id)}/ideas/${encodeURIComponent(ideaId)}/state`, { state }, token),
    sessions: token => send('GET', '/api/sessions', undefined, token),
    startSession: (name, token) => send('POST', '/api/sessions', { name }, token),
    deleteSession: (sessionId, token) => send('DELETE', `/api/sessions/${sessionId}`, undefined, token),
    sessionPoll: (sessionId, id, token) => send('GET', `/api/sessions/${sessionId}/polls/${encodeURIComponent(id)}`, undefined, token),
    sessionCsv: (sessionId, token) => send('GET', `/api/sessions/${sessionId}/results.csv`, undefined, token),
  }
}

let shared: PollClient | undefined

/** The page's one client: to POLL_SERVER when the deck was built with one, else to this origin. */
export function sharedPollClient(): PollClient {
  shared ??= createPollClient({ baseUrl: pollServerUrl })
  return shared
}
