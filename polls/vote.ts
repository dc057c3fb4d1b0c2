/**
 * What counts as a vote: parsed and normalised the same way by the poll server (authoritative) and the voting
 * page (to explain a problem before sending). Messages are Norwegian because the voting page may show them.
 */
import type { Checked, Choice, PollDefinition } from './types.ts'
import * as v from 'valibot'
import { kindOf } from './kinds/index.ts'

/** A valid vote: `choice` normalised, `items` the tally keys it counts for (several for multi). */
export interface Vote {
  voter: string
  choice: Choice
  items: string[]
}

/** Made up by the voting page and kept in the phone; the server stores nothing else about a voter. */
export const VOTER_PATTERN = /^[\w-]{8,64}$/

/** A random voter id for a phone: 22 URL-safe characters. */
export function createVoterId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

const voterSchema = v.pipe(
  v.string('Mangler «voter».'),
  v.regex(VOTER_PATTERN, 'Ugyldig «voter»: 8–64 tegn av A–Z, a–z, 0–9, _ og -.'),
)

const NOT_AN_OBJECT = 'Stemmen må være et JSON-objekt med «voter» og «choice».'

function voteSchema(poll: PollDefinition) {
  return v.object({
    voter: voterSchema,
    choice: kindOf(poll).choice(poll),
  }, NOT_AN_OBJECT)
}

const schemas = new WeakMap<PollDefinition, ReturnType<typeof voteSchema>>()

/** Checks a decoded JSON body `{ voter, choice }` against a poll. */
export function parseVote(poll: PollDefinition, body: unknown): Checked<Vote> {
  if (Array.isArray(body))
    return { ok: false, error: NOT_AN_OBJECT }
  let schema = schemas.get(poll)
  if (!schema) {
    schema = voteSchema(poll)
    schemas.set(poll, schema)
  }
  const result = v.safeParse(schema, body, { abortEarly: true })
  if (!result.success) {
    const issue = result.issues[0]
    const key = issue.path?.[0]?.key
    const missing = (key === 'voter' || key === 'choice') && issue.input === undefined
    return {
      ok: false,
      error: missing
        ? `Mangler «${key}».`
        : issue.message,
    }
  }
  return {
    ok: true,
    value: { voter: result.output.voter, ...result.output.choice },
  }
}
