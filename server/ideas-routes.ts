/**
 * The idea wall's routes (issue «Idévegg»): share an idea, lift or withdraw a lift, and the presenter's moderation.
 * Mounted by http.ts, which hands over its guards and the per-address limits, so ideas obey the same rules as votes.
 */
import type { MiddlewareHandler } from 'hono'
import type { Blocklist } from './blocklist.ts'
import type { PollAppEnv } from './http.ts'
import type { NewMemberLimiter, RateLimiter } from './rate-limit.ts'
import type { PollService } from './service.ts'
import type { ShareOutcome } from './store/types.ts'
import { Hono } from 'hono'
import * as v from 'valibot'
import { IDEA_STATES, normaliseIdea } from '../polls/kinds/ideas/index.ts'
import { VOTER_PATTERN } from '../polls/vote.ts'
import { clientAddress } from './client-address.ts'
import { fail, NO_STORE, overLimit, parsedBody, tooMany } from './respond.ts'

export interface IdeasRouteOptions {
  service: PollService
  requireToken: MiddlewareHandler<PollAppEnv>
  withPoll: MiddlewareHandler<PollAppEnv>
  blocklist: Blocklist
  perIp: RateLimiter
  perVoter: RateLimiter
  newVoters: NewMemberLimiter
  /** One idea per voter and poll per window (POLL_RATE_IDEA_MS). */
  ideaPace: RateLimiter
}

type IdeasEnv = PollAppEnv

/** A phone's request: its voter id, and whatever else the route reads (the idea's text). */
const fromPhoneSchema = v.looseObject({
  voter: v.pipe(v.string('Mangler «voter».'), v.regex(VOTER_PATTERN, 'Ugyldig «voter»: 8–64 tegn av A–Z, a–z, 0–9, _ og -.')),
}, 'Send et JSON-objekt med «voter».')

const stateSchema = v.object({
  state: v.picklist(IDEA_STATES, '«state» må være «approved», «hidden» eller «pending».'),
}, 'Send et JSON-objekt med «state».')

export function ideasRoutes(options: IdeasRouteOptions): Hono<IdeasEnv> {
  const { service } = options
  const app = new Hono<IdeasEnv>()

  const withIdeas: MiddlewareHandler<IdeasEnv> = async (c, next) => {
    const poll = c.var.poll
    if (poll.kind !== 'ideas')
      return fail(c, 404, 'Denne avstemningen tar ikke imot idéer.')
    c.set('ideas', poll)
    await next()
  }

  const withIdea: MiddlewareHandler<IdeasEnv> = async (c, next) => {
    const raw = c.req.param('ideaId') ?? ''
    if (!/^\d{1,15}$/.test(raw))
      return fail(c, 404, 'Fant ingen idé med denne id-en.')
    c.set('ideaId', Number(raw))
    await next()
  }

  /** The checks every write from a phone passes: per-address pace, a JSON body with a voter id, new voters. */
  async function fromPhone(c: Parameters<MiddlewareHandler<IdeasEnv>>[0]): Promise<v.InferOutput<typeof fromPhoneSchema> | Response> {
    const address = clientAddress(c)
    const busy = overLimit(c, options.perIp, address, 'For mange forespørsler fra dette nettverket akkurat nå. Prøv igjen om litt.')
    if (busy)
      return busy
    const phone = await parsedBody(c, fromPhoneSchema)
    if (phone instanceof Response)
      return phone
    if (!options.newVoters.allow(address, phone.voter))
      return tooMany(c, options.newVoters, 'For mange nye deltakere fra dette nettverket akkurat nå. Prøv igjen om litt.')
    return phone
  }

  const tryAgain = () => 'Idéveggen kunne ikke lagre dette akkurat nå. Prøv igjen.'

  app.post('/api/polls/:id/ideas', options.withPoll, withIdeas, async (c) => {
    const phone = await fromPhone(c)
    if (phone instanceof Response)
      return phone
    const idea = normaliseIdea(phone.text)
    if (!idea.ok)
      return fail(c, 400, idea.error)
    if (options.blocklist.blocks(idea.value.text))
      return fail(c, 400, 'Idéen inneholder et ord som ikke vises på lysbildet. Prøv gjerne med andre ord.')
    const tooSoon = overLimit(c, options.ideaPace, `${c.var.ideas.id}\n${phone.voter}`, 'Du har nettopp delt en idé. Vent litt før du deler en til.')
    if (tooSoon)
      return tooSoon
    let shared: ShareOutcome
    try {
      shared = await service.shareIdea(c.var.ideas, phone.voter, idea.value)
    }
    catch (error) {
      console.error('Could not share an idea:', error)
      return fail(c, 503, tryAgain())
    }
    if (!('idea' in shared)) {
      return fail(c, 409, shared.outcome === 'closed'
        ? 'Idéveggen er ikke åpen.'
        : 'Idéveggen er full: den tar ikke imot flere nye idéer. Løft gjerne en som alt er der.')
    }
    // A hidden idea shared again stays hidden; its author is told no more than that it waits.
    const state = shared.idea.state === 'approved'
      ? 'approved'
      : 'pending'
    return c.json({
      id: String(shared.idea.id),
      text: shared.idea.text,
      state,
    }, 201, NO_STORE)
  })

  async function lift(c: Parameters<MiddlewareHandler<IdeasEnv>>[0], lifted: boolean): Promise<Response> {
    const phone = await fromPhone(c)
    if (phone instanceof Response)
      return phone
    const fast = overLimit(c, options.perVoter, phone.voter, 'Du har løftet mange ganger på kort tid. Vent litt og prøv igjen.')
    if (fast)
      return fast
    let outcome
    try {
      outcome = await service.liftIdea(c.var.ideas, c.var.ideaId, phone.voter, lifted)
    }
    catch (error) {
      console.error('Could not store a lift:', error)
      return fail(c, 503, tryAgain())
    }
    switch (outcome) {
      case 'closed':
        return fail(c, 409, 'Idéveggen er ikke åpen.')
      case 'unknown':
        return fail(c, 404, 'Fant ingen idé med denne id-en.')
      case 'lifted':
        return c.json({ lifted: true }, 201, NO_STORE)
      default:
        return c.json({ lifted: outcome === 'already' }, 200, NO_STORE)
    }
  }

  app.post('/api/polls/:id/ideas/:ideaId/lifts', options.withPoll, withIdeas, withIdea, c => lift(c, true))
  app.delete('/api/polls/:id/ideas/:ideaId/lifts', options.withPoll, withIdeas, withIdea, c => lift(c, false))

  app.post('/api/polls/:id/ideas/:ideaId/state', options.requireToken, options.withPoll, withIdeas, withIdea, async (c) => {
    const change = await parsedBody(c, stateSchema)
    if (change instanceof Response)
      return change
    const idea = await service.setIdeaState(c.var.ideas, c.var.ideaId, change.state)
    if (!idea)
      return fail(c, 404, 'Fant ingen idé med denne id-en.')
    return c.json(idea, 200, NO_STORE)
  })

  return app
}
