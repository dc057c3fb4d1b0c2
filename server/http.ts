import type { HttpBindings } from '@hono/node-server'
import type { Context, MiddlewareHandler } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Buffer } from 'node:buffer'
import type { PollDefinition, PollStatus } from '../polls/types.ts'
import type { RateLimits } from './config.ts'
import type { EventHub } from './events.ts'
import type { SnapshotWriter } from './snapshot.ts'
import type { PollStore } from './store/types.ts'
import { createHash, timingSafeEqual } from 'node:crypto'
import { networkInterfaces } from 'node:os'
import { Hono } from 'hono'
import * as v from 'valibot'
import { findPoll } from '../polls/catalog.ts'
import { pollOptions } from '../polls/status.ts'
import { parseVote } from '../polls/vote.ts'
import { polls } from '../snippets/polls.ts'
import { readJsonBody } from './body.ts'
import { toCsv } from './csv.ts'
import { sseResponse } from './events.ts'
import { createRateLimiter } from './rate-limit.ts'
import { readPollStatus } from './status.ts'
import { StoreUnavailableError } from './store/unavailable.ts'

export interface JoinOptions {
  /** PUBLIC_URL: where phones reach this server, when it sits behind a proxy or tunnel. */
  publicUrl?: string
  /** The address the server listens on; 0.0.0.0 or :: means «this machine's LAN address». */
  host?: string
  port?: number
}

export interface PollAppOptions {
  store: PollStore
  hub: EventHub
  snapshot: SnapshotWriter
  token: string
  rateLimits: RateLimits
  /** Read per request, so a dev server can supply the address it ended up listening on. */
  join?: JoinOptions | (() => JoinOptions)
}

export interface PollAppEnv { Bindings: Partial<HttpBindings> }

const NO_STORE = { 'cache-control': 'no-store' }

const statePatchSchema = v.pipe(
  v.object({
    state: v.optional(v.picklist(['open', 'closed'], '«state» må være «open» eller «closed».')),
    revealed: v.optional(v.boolean('«revealed» må være true eller false.')),
  }, 'Send et JSON-objekt med «state» og/eller «revealed».'),
  v.check(patch => patch.state !== undefined || patch.revealed !== undefined, 'Send «state» og/eller «revealed».'),
)

function fail(c: Context, status: ContentfulStatusCode, error: string, headers: Record<string, string> = {}): Response {
  return c.json({ error }, status, {
    ...NO_STORE,
    ...headers,
  })
}

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

/** The voting page's address as phones in the room should open it. */
export function joinUrl(join: JoinOptions, requestUrl: string): string {
  if (join.publicUrl)
    return `${join.publicUrl.replace(/\/+$/, '')}/v`
  if (join.host === '0.0.0.0' || join.host === '::') {
    const address = lanAddress()
    if (address) {
      return `http://${address}${join.port
        ? `:${join.port}`
        : ''}/v`
    }
  }
  return `${new URL(requestUrl).origin}/v`
}

function scaleLabel(poll: PollDefinition, value: string): string {
  if (poll.kind !== 'scale')
    return value
  if (value === String(poll.min))
    return `${value} – ${poll.minLabel}`
  if (value === String(poll.max))
    return `${value} – ${poll.maxLabel}`
  return value
}

/** The poll API of the contract in snippets/polls.ts, as a Hono app mounted at the root. */
export function createPollApp(options: PollAppOptions): Hono<PollAppEnv> {
  const { store, hub, snapshot } = options
  const tokenHash = sha256(options.token)
  const perVoter = createRateLimiter(options.rateLimits.perVoter, options.rateLimits.windowMs)
  const perIp = createRateLimiter(options.rateLimits.perIp, options.rateLimits.windowMs)

  const readStatus = (poll: PollDefinition): Promise<PollStatus> => readPollStatus(store, poll)

  const requireToken: MiddlewareHandler<PollAppEnv> = async (c, next) => {
    const given = c.req.header('authorization')?.match(/^Bearer\s+(\S+)\s*$/i)?.[1]
    if (!given || !timingSafeEqual(sha256(given), tokenHash))
      return fail(c, 401, 'Krever presentatørens nøkkel (Authorization: Bearer …).', { 'www-authenticate': 'Bearer' })
    await next()
  }

  const app = new Hono<PollAppEnv>()

  app.onError((error, c) => {
    if (error instanceof StoreUnavailableError)
      return fail(c, 503, 'Avstemningene er ikke tilgjengelige akkurat nå. Prøv igjen om litt.', { 'retry-after': '1' })
    console.error('Poll API error:', error)
    return fail(c, 500, 'Intern feil i avstemningstjeneren.')
  })

  app.get('/api/polls', async (c) => {
    return c.json(await Promise.all(polls.map(poll => readStatus(poll))), 200, NO_STORE)
  })

  app.get('/api/polls/:id', async (c) => {
    const poll = findPoll(polls, c.req.param('id'))
    if (!poll)
      return fail(c, 404, 'Fant ingen avstemning med denne id-en.')
    return c.json(await readStatus(poll), 200, NO_STORE)
  })

  app.post('/api/polls/:id/votes', async (c) => {
    const poll = findPoll(polls, c.req.param('id'))
    if (!poll)
      return fail(c, 404, 'Fant ingen avstemning med denne id-en.')
    // The address is only a key in a map that is emptied every window; it is never stored or logged.
    const address = c.env?.incoming?.socket.remoteAddress ?? 'unknown'
    if (!perIp.allow(address)) {
      return fail(c, 429, 'For mange stemmer fra dette nettverket akkurat nå. Prøv igjen om litt.', {
        'retry-after': String(perIp.retryAfter()),
      })
    }
    const body = await readJsonBody(c.req.raw, c.env?.incoming)
    if (!body.ok)
      return fail(c, body.status, body.error)
    const vote = parseVote(poll, body.value)
    if (!vote.ok)
      return fail(c, 400, vote.error)
    if (!perVoter.allow(vote.value.voter)) {
      return fail(c, 429, 'Du har endret stemmen mange ganger på kort tid. Vent litt og prøv igjen.', {
        'retry-after': String(perVoter.retryAfter()),
      })
    }

    let outcome
    try {
      outcome = await store.vote(poll.id, vote.value.voter, vote.value.items)
    }
    catch (error) {
      console.error('Could not store a vote:', error)
      return fail(c, 503, 'Stemmen kunne ikke lagres akkurat nå. Prøv igjen.')
    }
    if (outcome === 'closed')
      return fail(c, 409, 'Avstemningen er ikke åpen.')
    hub.pollChanged(poll.id)
    return c.json({ ok: true, choice: vote.value.choice }, 201, NO_STORE)
  })

  app.post('/api/polls/:id/state', requireToken, async (c) => {
    const poll = findPoll(polls, c.req.param('id'))
    if (!poll)
      return fail(c, 404, 'Fant ingen avstemning med denne id-en.')
    const body = await readJsonBody(c.req.raw, c.env?.incoming)
    if (!body.ok)
      return fail(c, body.status, body.error)
    const patch = v.safeParse(statePatchSchema, body.value)
    if (!patch.success)
      return fail(c, 400, patch.issues[0].message)
    if (patch.output.revealed && poll.kind !== 'quiz')
      return fail(c, 400, 'Bare en quiz har et riktig svar å vise.')

    const before = await store.getState(poll.id)
    const after = await store.setState(poll.id, patch.output)
    const status = await readStatus(poll)
    if (before.state === 'open' && after.state === 'closed') {
      const result = status.total > 0
        ? {
            total: status.total,
            tallies: status.tallies,
            closedAt: new Date(after.closedAt ?? Date.now()).toISOString(),
          }
        : null
      await snapshot.record(poll.id, result)
    }
    hub.stateChanged(poll.id)
    return c.json(status, 200, NO_STORE)
  })

  app.delete('/api/polls/:id/votes', requireToken, async (c) => {
    const poll = findPoll(polls, c.req.param('id'))
    if (!poll)
      return fail(c, 404, 'Fant ingen avstemning med denne id-en.')
    await store.clearVotes(poll.id)
    await store.setState(poll.id, { revealed: false })
    await snapshot.record(poll.id, null)
    hub.stateChanged(poll.id)
    return c.json(await readStatus(poll), 200, NO_STORE)
  })

  app.get('/api/polls/:id/events', (c) => {
    const poll = findPoll(polls, c.req.param('id'))
    if (!poll)
      return fail(c, 404, 'Fant ingen avstemning med denne id-en.')
    return sseResponse(client => hub.subscribePoll(poll.id, client), c.env?.outgoing)
  })

  app.get('/api/events', c => sseResponse(client => hub.subscribeCurrent(client), c.env?.outgoing))

  app.get('/api/polls/:id/results.csv', async (c) => {
    const poll = findPoll(polls, c.req.param('id'))
    if (!poll)
      return fail(c, 404, 'Fant ingen avstemning med denne id-en.')
    const { tallies } = await store.tallies(poll.id)
    const rows: (string | number)[][] = poll.kind === 'words'
      ? Object.entries(tallies)
          .sort(([wordA, countA], [wordB, countB]) => countB - countA || wordA.localeCompare(wordB, 'nb'))
          .map(([word, count]) => [word, word, count])
      : pollOptions(poll).map(option => [
          option.id,
          scaleLabel(poll, option.label),
          tallies[option.id] ?? 0,
        ])
    return c.body(toCsv([
      ['id', 'svar', 'stemmer'],
      ...rows,
    ]), 200, {
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
      url: joinUrl(join, c.req.url),
    }, 200, NO_STORE)
  })

  app.all('/api/*', c => fail(c, 404, 'Ukjent API-adresse.'))

  return app
}
