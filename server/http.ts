import type { HttpBindings } from '@hono/node-server'
import type { Context, MiddlewareHandler } from 'hono'
import type { Buffer } from 'node:buffer'
import type { IdeasPoll } from '../polls/kinds/ideas/index.ts'
import type { Pace, PollDefinition } from '../polls/types.ts'
import type { Blocklist } from './blocklist.ts'
import type { RateLimits } from './config.ts'
import type { EventHub } from './events.ts'
import type { StreamCounter } from './limits.ts'
import type { PollService } from './service.ts'
import type { SseClient } from './sse-stream.ts'
import type { SessionRecord } from './store/types.ts'
import type { TrustedProxies } from './trusted-proxies.ts'
import { createHash, timingSafeEqual } from 'node:crypto'
import { networkInterfaces } from 'node:os'
import { Hono } from 'hono'
import * as v from 'valibot'
import { kindOf } from '../polls/kinds/index.ts'
import { parseVote } from '../polls/vote.ts'
import { readJsonBody } from './body.ts'
import { clientAddress } from './client-address.ts'
import { cors } from './cors.ts'
import { toCsv } from './csv.ts'
import { ideasRoutes } from './ideas-routes.ts'
import { createNewMemberLimiter, createRateLimiter } from './rate-limit.ts'
import { fail, NO_STORE, overLimit, parsedBody, tooMany } from './respond.ts'
import { securityHeaders } from './security-headers.ts'
import { SSE_HEADERS, sseResponse } from './sse-stream.ts'
import { StoreUnavailableError } from './store/unavailable.ts'
import { parseTrustedProxies } from './trusted-proxies.ts'
import { within } from './within.ts'

export interface JoinOptions {
  /** PUBLIC_URL: where phones reach this server, when it sits behind a proxy or tunnel (its TLS included). */
  publicUrl?: string
  /** The address the server listens on; 0.0.0.0 or :: means «this machine's LAN address». */
  host?: string
  port?: number
}

export interface PollAppOptions {
  service: PollService
  hub: EventHub
  token: string
  rateLimits: RateLimits
  /** Open event streams per address and in total. */
  streams: StreamCounter
  /** Words and phrases refused in typed answers (POLL_BLOCKLIST). */
  blocklist: Blocklist
  /** Read per request, so a dev server can supply the address it ended up listening on. */
  join?: JoinOptions | (() => JoinOptions)
  /** POLL_ALLOWED_ORIGINS: decks on these origins may use the API from the browser. */
  allowedOrigins?: readonly string[]
  /** TRUST_PROXY entries. */
  trustProxy?: readonly string[]
  /** True once the server is shutting down: /readyz answers 503 so balancers send traffic elsewhere. */
  draining?: () => boolean
}

export interface PollAppEnv {
  Bindings: Partial<HttpBindings>
  Variables: {
    /** Set by the `:id` routes' middleware: the poll the path names. */
    poll: PollDefinition
    /** Set by the `:sid` routes' middleware: the session the path names. */
    session: SessionRecord
    /** Set by the idea wall's routes (ideas-routes.ts): the poll, known to be an idea wall, and the idea named. */
    ideas: IdeasPoll
    ideaId: number
    /** TRUST_PROXY, for clientAddress(). */
    trustedProxies: TrustedProxies
  }
}

const NEW_VOTER_WINDOW_MS = 60_000
/** /readyz gives up on a store that has not answered by then: a balancer's health check must not hang. */
const READY_TIMEOUT_MS = 2000

const statePatchSchema = v.pipe(
  v.object({
    state: v.optional(v.picklist(['open', 'closed'], '«state» må være «open» eller «closed».')),
    revealed: v.optional(v.boolean('«revealed» må være true eller false.')),
  }, 'Send et JSON-objekt med «state» og/eller «revealed».'),
  v.check(patch => patch.state !== undefined || patch.revealed !== undefined, 'Send «state» og/eller «revealed».'),
)

const sessionNameSchema = v.pipe(
  v.object({
    name: v.pipe(
      v.string('«name» må være tekst.'),
      v.trim(),
      v.minLength(1, 'Gi økten et navn, for eksempel «Arendalsuka 2027».'),
      v.maxLength(80, 'Navnet er for langt: høyst 80 tegn.'),
      v.check(name => !/\p{Cc}/u.test(name), 'Navnet kan ikke inneholde kontrolltegn.'),
    ),
  }, 'Send et JSON-objekt med «name».'),
)

const hiddenSchema = v.object({
  answer: v.string('«answer» må være svaret slik det vises.'),
  hidden: v.boolean('«hidden» må være true eller false.'),
}, 'Send et JSON-objekt med «answer» og «hidden».')

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}

function lanAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces())) {
    const found = addresses?.find(address => address.family === 'IPv4' && !address.internal)
    if (found)
      return found.address
  }
  return undefined
}

const ALL_INTERFACES = new Set(['0.0.0.0', '::', '[::]'])

/**
 * The voting page's address as phones in the room should open it, from configuration only: PUBLIC_URL, else this
 * machine's LAN address when listening on every interface, else HOST and PORT. Never from a request's Host
 * header, which any client chooses.
 */
export function joinUrl(join: JoinOptions): string {
  if (join.publicUrl)
    return `${join.publicUrl.replace(/\/+$/, '')}/v`
  const host = join.host && ALL_INTERFACES.has(join.host)
    ? lanAddress() ?? '127.0.0.1'
    : join.host || '127.0.0.1'
  const bracketed = host.includes(':') && !host.startsWith('[')
    ? `[${host}]`
    : host
  return `http://${bracketed}${join.port
    ? `:${join.port}`
    : ''}/v`
}

const isPace = (value: string): value is Pace => value === 'fast' || value === 'phone'

/** The poll API (types in polls/types.ts, use cases in service.ts), as a Hono app mounted at the root. */
export function createPollApp(options: PollAppOptions): Hono<PollAppEnv> {
  const { service, hub } = options
  const tokenHash = sha256(options.token)
  const perVoter = createRateLimiter(options.rateLimits.perVoter, options.rateLimits.windowMs)
  const perIp = createRateLimiter(options.rateLimits.perIp, options.rateLimits.windowMs)
  const newVoters = createNewMemberLimiter(options.rateLimits.newVotersPerAddress, NEW_VOTER_WINDOW_MS)
  const wrongTokens = createRateLimiter(options.rateLimits.wrongTokensPerAddress, options.rateLimits.windowMs)
  const ideaPace = createRateLimiter(options.rateLimits.ideaIntervalMs > 0
    ? 1
    : 0, options.rateLimits.ideaIntervalMs || 1)
  const trustedProxies = parseTrustedProxies(options.trustProxy ?? [])

  /** Undefined for the presenter's token; else the answer to give (401, or 429 for an address guessing). */
  function tokenRefusal(c: Context<PollAppEnv>): Response | undefined {
    const given = c.req.header('authorization')?.match(/^Bearer\s+(\S+)\s*$/i)?.[1]
    if (given && timingSafeEqual(sha256(given), tokenHash))
      return undefined
    // Only wrong tries count: the presenter's own clicks are never slowed, a guesser is.
    if (!wrongTokens.allow(clientAddress(c))) {
      return tooMany(c, wrongTokens, 'For mange forsøk med feil nøkkel. Vent litt og prøv igjen.')
    }
    return fail(c, 401, 'Krever presentatørens nøkkel (Authorization: Bearer …).', { 'www-authenticate': 'Bearer' })
  }

  const requireToken: MiddlewareHandler<PollAppEnv> = async (c, next) => tokenRefusal(c) ?? next()

  const withPoll: MiddlewareHandler<PollAppEnv> = async (c, next) => {
    const poll = service.pollById(c.req.param('id') ?? '')
    if (!poll)
      return fail(c, 404, 'Fant ingen avstemning med denne id-en.')
    c.set('poll', poll)
    await next()
  }

  const withSession: MiddlewareHandler<PollAppEnv> = async (c, next) => {
    const raw = c.req.param('sid') ?? ''
    const session = /^\d{1,15}$/.test(raw)
      ? await service.session(Number(raw))
      : undefined
    if (!session)
      return fail(c, 404, 'Fant ingen økt med denne id-en.')
    c.set('session', session)
    await next()
  }

  const withFreeText: MiddlewareHandler<PollAppEnv> = async (c, next) => {
    if (!kindOf(c.var.poll).freeText)
      return fail(c, 400, 'Bare avstemninger med fritekst har svar å moderere.')
    await next()
  }

  const storeAnswers = () => within(service.currentPoll().then(() => true, () => false), READY_TIMEOUT_MS, false)

  const app = new Hono<PollAppEnv>()
  app.use('*', securityHeaders)

  app.use('*', async (c, next) => {
    c.set('trustedProxies', trustedProxies)
    await next()
  })
  app.use('/api/*', cors(options.allowedOrigins ?? []))

  // For balancers and orchestrators: no token, no rate limit, no CORS.
  app.get('/healthz', c => c.json({ status: 'ok' }, 200, NO_STORE))
  app.get('/readyz', async (c) => {
    if (options.draining?.())
      return c.json({ status: 'stopping', error: 'Tjeneren avslutter og tar ikke imot nye forespørsler.' }, 503, NO_STORE)
    if (!await storeAnswers())
      return c.json({ status: 'unavailable', error: 'Databasen svarer ikke.' }, 503, NO_STORE)
    return c.json({ status: 'ready' }, 200, NO_STORE)
  })

  app.onError((error, c) => {
    if (error instanceof StoreUnavailableError)
      return fail(c, 503, 'Avstemningene er ikke tilgjengelige akkurat nå. Prøv igjen om litt.', { 'retry-after': '1' })
    console.error('Poll API error:', error)
    return fail(c, 500, 'Intern feil i avstemningstjeneren.')
  })

  // Anyone's reads are served from what the event hub holds: rendered once per change, however many phones ask.
  const jsonBody = (json: string) => new Response(json, {
    headers: { ...NO_STORE, 'content-type': 'application/json' },
  })

  app.get('/api/polls', async () => jsonBody(`[${(await Promise.all(service.polls.map(poll => hub.statusJson(poll.id)))).join(',')}]`))

  // With the presenter's token, an idea wall also lists the ideas waiting for approval and the hidden ones.
  app.get('/api/polls/:id', withPoll, async (c) => {
    const presenter = c.req.header('authorization') !== undefined
    const refused = presenter
      ? tokenRefusal(c)
      : undefined
    if (refused)
      return refused
    return presenter
      ? c.json(await service.status(c.var.poll, undefined, true), 200, NO_STORE)
      : jsonBody(await hub.statusJson(c.var.poll.id))
  })

  app.post('/api/polls/:id/votes', withPoll, async (c) => {
    const poll = c.var.poll
    // The address is only a key in a map that is emptied every window; it is never stored or logged.
    const address = clientAddress(c)
    const busyNetwork = overLimit(c, perIp, address, 'For mange stemmer fra dette nettverket akkurat nå. Prøv igjen om litt.')
    if (busyNetwork)
      return busyNetwork
    const body = await readJsonBody(c.req.raw, c.env?.incoming)
    if (!body.ok)
      return fail(c, body.status, body.error)
    const vote = parseVote(poll, body.value)
    if (!vote.ok)
      return fail(c, 400, vote.error)
    if (kindOf(poll).freeText && vote.value.items.some(options.blocklist.blocks))
      return fail(c, 400, 'Svaret inneholder et ord som ikke vises på lysbildet. Prøv gjerne med andre ord.')
    if (!newVoters.allow(address, vote.value.voter))
      return tooMany(c, newVoters, 'For mange nye stemmer fra dette nettverket akkurat nå. Prøv igjen om litt.')
    const changedTooOften = overLimit(c, perVoter, vote.value.voter, 'Du har endret stemmen mange ganger på kort tid. Vent litt og prøv igjen.')
    if (changedTooOften)
      return changedTooOften

    let outcome
    try {
      outcome = await service.vote(poll, vote.value)
    }
    catch (error) {
      console.error('Could not store a vote:', error)
      return fail(c, 503, 'Stemmen kunne ikke lagres akkurat nå. Prøv igjen.')
    }
    if (outcome === 'closed')
      return fail(c, 409, 'Avstemningen er ikke åpen.')
    if (outcome === 'full')
      return fail(c, 409, 'Avstemningen har fått så mange ulike svar at den ikke tar imot nye. Velg et svar som alt er med.')
    return c.json({ ok: true, choice: vote.value.choice }, 201, NO_STORE)
  })

  app.post('/api/polls/:id/state', requireToken, withPoll, async (c) => {
    const patch = await parsedBody(c, statePatchSchema)
    if (patch instanceof Response)
      return patch
    const changed = await service.setState(c.var.poll, patch)
    if (!changed.ok)
      return fail(c, 400, changed.error)
    return c.json(changed.value, 200, NO_STORE)
  })

  app.delete('/api/polls/:id/votes', requireToken, withPoll, async c => c.json(await service.reset(c.var.poll), 200, NO_STORE))

  app.post('/api/polls/:id/votes/restore', requireToken, withPoll, async c => c.json(await service.restore(c.var.poll), 200, NO_STORE))

  app.get('/api/polls/:id/answers', requireToken, withPoll, withFreeText, async c => c.json(await service.recentAnswers(c.var.poll), 200, NO_STORE))

  app.post('/api/polls/:id/answers/hidden', requireToken, withPoll, withFreeText, async (c) => {
    const change = await parsedBody(c, hiddenSchema)
    if (change instanceof Response)
      return change
    return c.json(await service.setHidden(c.var.poll, change.answer, change.hidden), 200, NO_STORE)
  })

  app.get('/api/sessions', requireToken, async c => c.json(await service.sessions(), 200, NO_STORE))

  app.post('/api/sessions', requireToken, async (c) => {
    const named = await parsedBody(c, sessionNameSchema)
    if (named instanceof Response)
      return named
    return c.json(await service.startSession(named.name), 201, NO_STORE)
  })

  app.delete('/api/sessions/:sid', requireToken, withSession, async (c) => {
    const outcome = await service.deleteSession(c.var.session.id)
    if (outcome === 'current')
      return fail(c, 409, 'Økten som pågår kan ikke slettes. Start en ny økt først.')
    if (outcome === 'unknown')
      return fail(c, 404, 'Fant ingen økt med denne id-en.')
    return c.json({ deleted: c.var.session.id }, 200, NO_STORE)
  })

  app.get('/api/sessions/:sid/polls/:id', requireToken, withSession, withPoll, async c =>
    c.json(await service.status(c.var.poll, c.var.session.id), 200, NO_STORE))

  app.get('/api/sessions/:sid/results.csv', requireToken, withSession, async (c) => {
    const session = c.var.session
    return c.body(toCsv(await service.sessionCsv(session.id)), 200, {
      ...NO_STORE,
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="okt-${session.id}-resultater.csv"`,
    })
  })

  /**
   * The poll a reconnecting voting page showed: the browser sends back the last event id by itself, a page that
   * opens a new stream names it in `?poll=`. Unknown ids are ignored.
   */
  function shownPoll(c: Context<PollAppEnv>): string | undefined {
    const given = c.req.header('last-event-id') || c.req.query('poll')
    if (!given)
      return undefined
    let id = given
    try {
      id = decodeURIComponent(given)
    }
    catch {}
    return service.pollById(id)?.id
  }

  /** An event stream, if this address and the server have a stream to spare; HEAD gets the headers only. */
  function stream(c: Context<PollAppEnv>, subscribe: (client: SseClient) => () => void): Response {
    if (c.req.method === 'HEAD')
      return new Response(null, { headers: SSE_HEADERS })
    const admission = options.streams.admit(clientAddress(c))
    if (!admission.ok) {
      return admission.reason === 'total'
        ? fail(c, 503, 'Tjeneren har ikke plass til flere live-oppdateringer akkurat nå. Prøv igjen om litt.', { 'retry-after': '5' })
        : fail(c, 429, 'For mange åpne live-oppdateringer fra dette nettverket. Lukk noen faner og prøv igjen.', { 'retry-after': '5' })
    }
    return sseResponse((client) => {
      const unsubscribe = subscribe(client)
      return () => {
        unsubscribe()
        admission.release()
      }
    }, c.env?.outgoing)
  }

  // The slide and the presenter take every update (fast); a phone on one poll's page asks for `?pace=phone`.
  app.get('/api/polls/:id/events', withPoll, (c) => {
    const pace = c.req.query('pace') ?? 'fast'
    if (!isPace(pace))
      return fail(c, 400, '«pace» må være «fast» eller «phone».')
    return stream(c, client => hub.subscribePoll(c.var.poll.id, client, pace))
  })

  // The voting page: the current poll and the status of the poll it shows, at a phone's pace.
  app.get('/api/events', c => stream(c, client => hub.subscribeFollower(client, shownPoll(c))))

  app.get('/api/polls/:id/results.csv', withPoll, async (c) => {
    const poll = c.var.poll
    return c.body(toCsv(await service.csv(poll)), 200, {
      ...NO_STORE,
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${poll.id}-resultater.csv"`,
    })
  })

  app.get('/api/join', (c) => {
    const join = typeof options.join === 'function'
      ? options.join()
      : options.join ?? {}
    return c.json({
      url: joinUrl(join),
    }, 200, NO_STORE)
  })

  app.route('/', ideasRoutes({
    service,
    requireToken,
    withPoll,
    blocklist: options.blocklist,
    perIp,
    perVoter,
    newVoters,
    ideaPace,
  }))

  app.all('/api/*', c => fail(c, 404, 'Ukjent API-adresse.'))

  return app
}
