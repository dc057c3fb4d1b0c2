// @vitest-environment node
import type { PollDefinition } from '../../polls/types.ts'
import { describe, expect, it } from 'vitest'
import { findPoll } from '../../polls/catalog.ts'
import { normaliseWord, WORD_MAX_LENGTH } from '../../polls/kinds/words/index.ts'
import { createVoterId, parseVote, VOTER_PATTERN } from '../../polls/vote.ts'
import { polls } from '../fixtures/polls.ts'

function poll(id: string): PollDefinition {
  const found = findPoll(polls, id)
  if (!found)
    throw new Error(`No poll ${id}`)
  return found
}

const VOTER = 'telefon-1234'

describe('normaliseWord', () => {
  it.each([
    ['  Møter   uten  MÅL ', 'møter uten mål'],
    ['ÆRLIGHET', 'ærlighet'],
    ['tab\tog\nlinjeskift', 'tab og linjeskift'],
    ['ikke\u00A0brytende\u3000mellomrom', 'ikke brytende mellomrom'],
    ['ma\u030Al', 'mål'],
    ['Kaffe\u200B', 'kaffe'],
    ['myk\u00ADbindestrek', 'mykbindestrek'],
    ['👩‍👩‍👧 familie', '👩‍👩‍👧 familie'],
    ['<script>alert(1)</script>', '<script>alert(1)</script>'],
    ['"; DROP TABLE votes; --', '"; drop table votes; --'],
  ])('normalises %j to %j', (input, expected) => {
    expect(normaliseWord(input)).toEqual({ ok: true, value: expected })
  })

  it('gives the same key for every spelling of the same word', () => {
    const spellings = [
      'Samskaping',
      ' samskaping ',
      'SAMSKAPING',
      'sam\u200Bskaping',
    ]
    expect(new Set(spellings.map(word => JSON.stringify(normaliseWord(word))))).toHaveProperty('size', 1)
  })

  it.each([
    ['', /Skriv et ord/],
    ['   \n\t ', /Skriv et ord/],
    ['\u200B\uFEFF', /Skriv et ord/],
    ['null\u0000tegn', /kontrolltegn/],
    ['escape\u001B[31m', /kontrolltegn/],
    ['slett\u007F', /kontrolltegn/],
    ['c1\u0085', /kontrolltegn/],
    ['snudd \u202Etxt.exe', /kontrolltegn/],
    ['isolert \u2066tekst\u2069', /kontrolltegn/],
    ['retning\u200F', /kontrolltegn/],
    ['halv \uD800 surrogat', /kontrolltegn/],
    [
      'a'.repeat(WORD_MAX_LENGTH + 1),
      /høyst 40 tegn/,
    ],
    [`e${'\u0301'.repeat(60)}`, /høyst 40 tegn/],
  ])('refuses %j', (input, message) => {
    const result = normaliseWord(input)
    expect(result.ok).toBe(false)
    if (!result.ok)
      expect(result.error).toMatch(message)
  })

  it('accepts exactly 40 characters, counting emoji as their code points', () => {
    expect(normaliseWord('ø'.repeat(40))).toEqual({
      ok: true,
      value: 'ø'.repeat(40),
    })
    expect(normaliseWord('🙂'.repeat(40)).ok).toBe(true)
    expect(normaliseWord('🙂'.repeat(41)).ok).toBe(false)
  })
})

describe('parseVote', () => {
  it('accepts one option of a choice poll and counts it under the option id', () => {
    expect(parseVote(poll('valg'), { voter: VOTER, choice: 'delvis' }))
      .toEqual({
        ok: true,
        value: {
          voter: VOTER,
          choice: 'delvis',
          items: ['delvis'],
        },
      })
  })

  it('accepts a quiz answer without telling whether it is right', () => {
    expect(parseVote(poll('quiz'), { voter: VOTER, choice: 'samskaping' }))
      .toEqual({
        ok: true,
        value: {
          voter: VOTER,
          choice: 'samskaping',
          items: ['samskaping'],
        },
      })
  })

  it('puts the options of a multi vote in the poll\'s order', () => {
    expect(parseVote(poll('flervalg'), {
      voter: VOTER,
      choice: ['forskere', 'unge'],
    }))
      .toEqual({
        ok: true,
        value: {
          voter: VOTER,
          choice: ['unge', 'forskere'],
          items: ['unge', 'forskere'],
        },
      })
  })

  it('counts a scale value under its decimal string', () => {
    expect(parseVote(poll('skala'), { voter: VOTER, choice: 5 }))
      .toEqual({
        ok: true,
        value: {
          voter: VOTER,
          choice: 5,
          items: ['5'],
        },
      })
  })

  it('normalises a word before counting it', () => {
    expect(parseVote(poll('ord'), { voter: VOTER, choice: '  Lange   MØTER ' }))
      .toEqual({
        ok: true,
        value: {
          voter: VOTER,
          choice: 'lange møter',
          items: ['lange møter'],
        },
      })
  })

  it('ignores unknown fields instead of storing them', () => {
    const result = parseVote(poll('valg'), {
      voter: VOTER,
      choice: 'ja',
      ip: '10.0.0.1',
      userAgent: 'x',
    })
    expect(result).toEqual({
      ok: true,
      value: {
        voter: VOTER,
        choice: 'ja',
        items: ['ja'],
      },
    })
  })

  it.each([
    ['valg', null, /JSON-objekt/],
    ['valg', 'ja', /JSON-objekt/],
    [
      'valg',
      [VOTER, 'ja'],
      /JSON-objekt/,
    ],
    [
      'valg',
      { choice: 'ja' },
      /Mangler «voter»/,
    ],
    [
      'valg',
      { voter: 'kort', choice: 'ja' },
      /8–64 tegn/,
    ],
    [
      'valg',
      {
        voter: 'x'.repeat(65),
        choice: 'ja',
      },
      /8–64 tegn/,
    ],
    [
      'valg',
      { voter: 'æøå-telefon', choice: 'ja' },
      /8–64 tegn/,
    ],
    [
      'valg',
      { voter: 12345678, choice: 'ja' },
      /Mangler «voter»/,
    ],
    [
      'valg',
      { voter: VOTER },
      /Mangler «choice»/,
    ],
    [
      'valg',
      { voter: VOTER, choice: 'JA' },
      /Gyldige er: ja, delvis, nei/,
    ],
    [
      'valg',
      {
        voter: VOTER,
        choice: ['ja'],
      },
      /Gyldige er/,
    ],
    [
      'quiz',
      { voter: VOTER, choice: 'correct' },
      /Gyldige er: samskaping, dugnad/,
    ],
    [
      'flervalg',
      { voter: VOTER, choice: [] },
      /minst ett/,
    ],
    [
      'flervalg',
      {
        voter: VOTER,
        choice: ['unge', 'unge'],
      },
      /bare velges én gang/,
    ],
    [
      'flervalg',
      {
        voter: VOTER,
        choice: ['unge', 'toString'],
      },
      /Gyldige er/,
    ],
    [
      'flervalg',
      { voter: VOTER, choice: 'unge' },
      /liste/,
    ],
    [
      'skala',
      { voter: VOTER, choice: 0 },
      /heltall fra 1 til 5/,
    ],
    [
      'skala',
      { voter: VOTER, choice: 6 },
      /heltall fra 1 til 5/,
    ],
    [
      'skala',
      { voter: VOTER, choice: 3.5 },
      /heltall fra 1 til 5/,
    ],
    [
      'skala',
      { voter: VOTER, choice: '3' },
      /heltall fra 1 til 5/,
    ],
    [
      'skala',
      { voter: VOTER, choice: Number.NaN },
      /heltall fra 1 til 5/,
    ],
    [
      'ord',
      { voter: VOTER, choice: 7 },
      /tekst/,
    ],
    [
      'ord',
      { voter: VOTER, choice: '' },
      /Skriv et ord/,
    ],
    [
      'ord',
      {
        voter: VOTER,
        choice: 'x'.repeat(41),
      },
      /høyst 40/,
    ],
    [
      'ord',
      { voter: VOTER, choice: 'bell\u0007' },
      /kontrolltegn/,
    ],
  ])('refuses a vote on %s: %j', (pollId, body, message) => {
    const result = parseVote(poll(pollId), body)
    expect(result.ok).toBe(false)
    if (!result.ok)
      expect(result.error).toMatch(message)
  })
})

describe('createVoterId', () => {
  it('makes distinct ids the server accepts', () => {
    const ids = Array.from({ length: 200 }, createVoterId)
    expect(new Set(ids).size).toBe(200)
    for (const id of ids)
      expect(id).toMatch(VOTER_PATTERN)
  })
})
