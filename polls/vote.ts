/**
 * What counts as a vote: parsed and normalised the same way by the poll server (authoritative) and the voting
 * page (to explain a problem before sending). Messages are Norwegian because the voting page may show them.
 */
import type { PollDefinition } from './types.ts'
import * as v from 'valibot'
import { WORD_MAX_LENGTH } from './types.ts'

export type Checked<T> = { ok: true, value: T } | { ok: false, error: string }

/** A valid vote: `choice` normalised, `items` the tally keys it counts for (several for multi). */
export interface Vote {
  voter: string
  choice: string | string[] | number
  items: string[]
}

/** Made up by the voting page and kept in the phone; the server stores nothing else about a voter. */
export const VOTER_PATTERN = /^[\w-]{8,64}$/

// Invisible characters that only make equal words look different: dropped.
const INVISIBLE = /[\u00AD\u200B\u2060\uFEFF]/g
// Control, lone-surrogate and bidirectional-override characters: rejected (they can spoof how a word reads).
const FORBIDDEN = /[\p{Cc}\p{Cs}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u

/** Trims, collapses inner whitespace, lower-cases (Norwegian rules) and composes (NFC) a free-text answer. */
export function normaliseWord(text: string): Checked<string> {
  const word = text
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(/\s+/gu, ' ')
    .trim()
    .toLocaleLowerCase('nb')
    .normalize('NFC')
  if (FORBIDDEN.test(word))
    return { ok: false, error: 'Teksten kan ikke inneholde kontrolltegn.' }
  const length = [...word].length
  if (length === 0)
    return { ok: false, error: 'Skriv et ord eller en kort frase.' }
  if (length > WORD_MAX_LENGTH)
    return { ok: false, error: `Teksten er for lang: høyst ${WORD_MAX_LENGTH} tegn.` }
  return { ok: true, value: word }
}

/** A random voter id for a phone: 22 URL-safe characters. */
export function createVoterId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

type Counted = Omit<Vote, 'voter'>

const voterSchema = v.pipe(
  v.string('Mangler «voter».'),
  v.regex(VOTER_PATTERN, 'Ugyldig «voter»: 8–64 tegn av A–Z, a–z, 0–9, _ og -.'),
)

function optionIds(poll: PollDefinition): string[] {
  return 'options' in poll
    ? poll.options.map(option => option.id)
    : []
}

function choiceSchema(poll: PollDefinition) {
  switch (poll.kind) {
    case 'choice':
    case 'quiz': {
      const ids = optionIds(poll)
      return v.pipe(
        v.picklist(ids, `Ukjent svaralternativ. Gyldige er: ${ids.join(', ')}.`),
        v.transform((id): Counted => ({
          choice: id,
          items: [id],
        })),
      )
    }
    case 'multi': {
      const ids = optionIds(poll)
      return v.pipe(
        v.array(v.picklist(ids, `Ukjent svaralternativ. Gyldige er: ${ids.join(', ')}.`), 'Svaret må være en liste med alternativer.'),
        v.nonEmpty('Velg minst ett alternativ.'),
        v.check(chosen => new Set(chosen).size === chosen.length, 'Hvert alternativ kan bare velges én gang.'),
        v.transform((chosen): Counted => {
          const inOptionOrder = ids.filter(id => chosen.includes(id))
          return { choice: inOptionOrder, items: inOptionOrder }
        }),
      )
    }
    case 'scale': {
      const message = `Svaret må være et heltall fra ${poll.min} til ${poll.max}.`
      return v.pipe(
        v.number(message),
        v.integer(message),
        v.minValue(poll.min, message),
        v.maxValue(poll.max, message),
        v.transform((value): Counted => ({
          choice: value,
          items: [
            String(value),
          ],
        })),
      )
    }
    case 'words':
      return v.pipe(
        v.string('Svaret må være tekst.'),
        v.rawTransform(({ dataset, addIssue, NEVER }): Counted => {
          const word = normaliseWord(dataset.value)
          if (!word.ok) {
            addIssue({ message: word.error })
            return NEVER
          }
          return {
            choice: word.value,
            items: [word.value],
          }
        }),
      )
  }
}

const NOT_AN_OBJECT = 'Stemmen må være et JSON-objekt med «voter» og «choice».'

function voteSchema(poll: PollDefinition) {
  return v.object({
    voter: voterSchema,
    choice: choiceSchema(poll),
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
