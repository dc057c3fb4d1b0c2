/**
 * Generated hostile requests for the bad-input fuzz run: malformed, oversized, wrongly typed and
 * unicode-hostile, against every endpoint. Deterministic for a seed. Every case is invalid by construction
 * (a vote or state change it carries can never be accepted), so a 2xx on a write is a finding.
 */
import type { PollDefinition } from '../../polls/types.ts'
import type { Random } from './random.ts'
import { Buffer } from 'node:buffer'
import { polls } from '../fixtures/polls.ts'

/** The polls that take votes: an idea wall has its own routes (tests/integration/ideas-api.test.ts). */
const votingPolls = polls.filter(poll => poll.kind !== 'ideas')

export interface HttpCase {
  kind: 'http'
  label: string
  method: string
  path: string
  headers: Record<string, string>
  body?: Buffer
  /** Send the body in chunks without a content-length. */
  chunked?: boolean
  /** A write that must be refused (no 2xx). */
  write: boolean
  /** The server may cut the connection before answering (it refuses an oversized body early). */
  mayDrop?: boolean
}

export interface RawCase {
  kind: 'raw'
  label: string
  bytes: Buffer
}

export type FuzzCase = HttpCase | RawCase

const OPEN_POLLS = [
  'valg',
  'flervalg',
  'skala',
  'ord',
] as const

/** Poll ids that are no poll, or no poll once decoded: encoding tricks, prototype names, path tricks. */
const WEIRD_IDS = [
  '',
  'DRISTIG',
  'skala%20',
  '..',
  '.',
  '%2e%2e',
  '..%2f..%2fpackage.json',
  '%00',
  '%',
  '%zz',
  '%ff',
  '%ED%A0%80',
  '%C0%AF',
  encodeURIComponent('æøå'),
  encodeURIComponent('🗳️'),
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'x'.repeat(3000),
  'skala%2Fvotes',
  'skala;rm%20-rf',
  encodeURIComponent('<script>alert(1)</script>'),
  '\'%20OR%201=1--',
  '%E2%80%AE',
  'valg%00',
]

const INVALID_VOTERS: unknown[] = [
  undefined,
  null,
  12345678,
  true,
  [],
  {},
  '',
  'short',
  'x'.repeat(65),
  'has space1',
  'ødelagt-id',
  'voter/../x1',
  'voter\u0000xxxx',
  '🙂🙂🙂🙂🙂🙂🙂🙂',
  'aaaaaaaa\n',
  '<script>alert(1)</script>',
  '\uD800\uD800\uD800\uD800\uD800\uD800\uD800\uD800',
  ['fuzz-voter-1'],
  { voter: 'fuzz-voter-1' },
]

const INVALID_CHOICES: Record<PollDefinition['kind'], unknown[]> = {
  choice: [
    undefined,
    null,
    'JA',
    'ja ',
    '',
    'kanskje',
    1,
    true,
    ['ja'],
    { id: 'ja' },
    'ja\u0000',
    '__proto__',
    'toString',
    'constructor',
  ],
  quiz: [
    undefined,
    null,
    'DUGNAD',
    '',
    'begge',
    0,
    ['dugnad'],
    { dugnad: true },
    'dugnad\u202E',
  ],
  multi: [
    undefined,
    'unge',
    [],
    ['unge', 'unge'],
    ['ukjent'],
    [
      ['unge'],
    ],
    [1],
    ['unge', null],
    { 0: 'unge' },
    [''],
    ['__proto__'],
  ],
  scale: [
    undefined,
    0,
    6,
    -1,
    2.5,
    5.000001,
    '3',
    null,
    [3],
    true,
    -0,
    { value: 3 },
    1e300,
  ],
  words: [
    undefined,
    '',
    '   ',
    '\u200B',
    '\u00AD\u2060\uFEFF',
    'x'.repeat(41),
    'ø'.repeat(41),
    `a${'\u0300'.repeat(50)}`,
    'a\u0000b',
    'evil\u202Etxt',
    '\uD800',
    'bell\u0007',
    '\u2066x\u2069',
    'line\nbreak\u0085',
    42,
    null,
    ['ord'],
    {},
  ],
  // An idea wall takes ideas and lifts on their own routes: any vote is refused.
  ideas: [
    undefined,
    'en god idé',
    { text: 'en god idé' },
    ['1'],
    1,
  ],
}

/** Strings meant to break parsers, encoders and renderers (for keys and values of random JSON). */
const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\uD800',
  '\uDFFF\uD800',
  '\u202E\u2066',
  '\uFEFF',
  'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇',
  '🏳️‍🌈',
  '𝕿𝖊𝖘𝖙',
  'ـــ',
  '\'"\\`${}',
  '<img src=x onerror=alert(1)>',
  '%s%n%x',
  '../../../../etc/passwd',
  '{{constructor.constructor("return process")()}}',
  'x'.repeat(500),
]

function pollById(id: string): PollDefinition | undefined {
  return (polls as readonly PollDefinition[]).find(poll => poll.id === id)
}

/** A valid vote for a poll: the only kind of vote the valid lane sends. */
export function validChoice(poll: PollDefinition, random: Random): { choice: unknown, items: string[] } {
  switch (poll.kind) {
    case 'choice':
    case 'quiz': {
      const id = random.pick(poll.options).id
      return {
        choice: id,
        items: [id],
      }
    }
    case 'multi': {
      const chosen = poll.options.filter(() => random.chance(0.4)).map(option => option.id)
      const items = chosen.length > 0
        ? chosen
        : [poll.options[0]!.id]
      return { choice: items, items }
    }
    case 'scale': {
      const value = poll.min + random.below(poll.max - poll.min + 1)
      return {
        choice: value,
        items: [
          String(value),
        ],
      }
    }
    case 'words': {
      // Hostile but valid words, already normalised: stored and counted exactly as sent.
      const word = random.pick([
        '<img src=x onerror=alert(1)>',
        '"; drop table votes; --',
        '{{ 7*7 }}',
        'møter uten mål',
        '🏳️‍🌈',
        'ǆ',
        'مرحبا',
        '%s%n',
      ])
      return {
        choice: word,
        items: [word],
      }
    }
    case 'ideas':
      throw new Error(`${poll.id} is an idea wall: it takes no votes (OPEN_POLLS names only polls that do).`)
  }
}

function randomJson(random: Random, depth = 0): unknown {
  const roll = random.below(depth > 3
    ? 5
    : 8)
  switch (roll) {
    case 0: return null
    case 1: return random.chance(0.5)
    case 2: return random.pick([
      0,
      -0,
      1,
      -1,
      1.5,
      1e308,
      -1e-308,
      2 ** 53 + 1,
      255,
    ])
    case 3:
    case 4: return random.pick(HOSTILE_STRINGS)
    case 5:
    case 6: return Array.from({
      length: random.below(5),
    }, () => randomJson(random, depth + 1))
    default: {
      // Never a «voter» key: a random object can never be a valid vote.
      const keys = [
        'choice',
        'Voter',
        'voter ',
        'vote',
        '__proto__',
        'constructor',
        'state',
        'revealed',
        ...HOSTILE_STRINGS.slice(0, 8),
      ]
      return Object.fromEntries(Array.from({
        length: random.below(5),
      }, () => [
        random.pick(keys),
        randomJson(random, depth + 1),
      ]))
    }
  }
}

/** A vote body for a poll with at least one invalid part (or a random JSON value, never a vote). */
function invalidVoteBody(poll: PollDefinition | undefined, random: Random): unknown {
  if (!poll || random.chance(0.25))
    return randomJson(random)
  const voter = `fuzz-${random.below(1e9).toString(36)}-x`
  const validPart = validChoice(poll, random).choice
  const badVoter = random.pick(INVALID_VOTERS)
  const badChoice = random.pick(INVALID_CHOICES[poll.kind])
  switch (random.below(3)) {
    case 0: return { voter: badVoter, choice: validPart }
    case 1: return { voter, choice: badChoice }
    default: return {
      voter: badVoter,
      choice: badChoice,
      extra: random.pick(HOSTILE_STRINGS),
    }
  }
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null')

/** Bodies that are not JSON at all, or not UTF-8. */
function brokenBody(random: Random): Buffer {
  const valid = '{"voter":"fuzz-broken-1","choice":"'
  return random.pick([
    () => Buffer.from('{'),
    () => Buffer.from('{"voter":'),
    () => Buffer.from('nul'),
    () => Buffer.from('[1,2'),
    () => Buffer.from('{"voter":"fuzz-trailing-1","choice":"ja"}garbage'),
    () => Buffer.from('{\'voter\':\'fuzz-single-1\',\'choice\':\'ja\'}'),
    () => Buffer.from(''),
    () => Buffer.from('undefined'),
    () => Buffer.from(`${'['.repeat(900)}${']'.repeat(900)}`),
    () => Buffer.concat([
      Buffer.from(valid),
      Buffer.from([0xFF, 0xFE]),
      Buffer.from('"}'),
    ]),
    () => Buffer.concat([
      Buffer.from(valid),
      Buffer.from([0xC0, 0xAF]),
      Buffer.from('"}'),
    ]),
    () => Buffer.concat([
      Buffer.from(valid),
      Buffer.from([0xED, 0xA0, 0x80]),
      Buffer.from('"}'),
    ]),
    () => Buffer.concat([
      Buffer.from('{"voter":"fuzz-'),
      Buffer.from([0xE2, 0x82]),
      Buffer.from('","choice":"ja"}'),
    ]),
    () => Buffer.from([0x00, 0x01, 0x02, 0x03]),
    // The last of duplicate keys wins in JSON.parse: 3.5 is no valid answer in any poll.
    () => Buffer.from('{"voter":"fuzz-dup-key-1","choice":"ja","choice":3.5}'),
  ])()
}

function oversized(random: Random, poll: PollDefinition): { body: Buffer, mayDrop: boolean } {
  const vote = JSON.stringify({ voter: 'fuzz-oversized-1', choice: validChoice(poll, random).choice })
  const size = random.pick([2049, 4096, 65_536, 1_048_576])
  return {
    body: Buffer.from(vote.padEnd(size, ' ')),
    mayDrop: size > 65_536,
  }
}

const WRONG_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json-patch+json',
  'application/jsonx',
  'json',
  'text/json',
  '',
]

function badAuthorization(random: Random, token: string): Record<string, string> {
  return random.pick<Record<string, string>>([
    {},
    { authorization: 'Bearer' },
    { authorization: 'Bearer ' },
    { authorization: `Bearer ${token}x` },
    { authorization: `Bearer ${token.slice(1)}` },
    { authorization: `Bearer ${token.toUpperCase() === token
      ? token.toLowerCase()
      : token.toUpperCase()}` },
    { authorization: `Basic ${Buffer.from(`presenter:${token}`).toString('base64')}` },
    { authorization: `Token ${token}` },
    { authorization: `Bearer ${token} ${token}` },
    { authorization: `Bearer ${'a'.repeat(5000)}` },
    { authorization: 'Bearer %00' },
  ])
}

/** Patches the state endpoint must refuse, whatever the poll. */
const INVALID_PATCHES: unknown[] = [
  {},
  { state: 'OPEN' },
  { state: 'opened' },
  { state: null },
  {
    state: ['open'],
  },
  { state: 'open ' },
  { revealed: 'true' },
  { revealed: 1 },
  { state: 'open', revealed: 'yes' },
  { other: 1 },
  [],
  'open',
  42,
  null,
  {
    state: { $ne: 'closed' },
  },
]

const STATIC_PATHS = [
  '/',
  '/v',
  '/v/valg',
  '/5',
  '/presenter/1',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/..%2f..%2fpolls.sqlite',
  '/..%2fpoll-token',
  '/v/..%2f..%2fpolls.sqlite',
  '/assets/..%2f..%2f..%2fpackage.json',
  '//etc/passwd',
  '/index.html%00.js',
  '/%c0%ae%c0%ae/polls.sqlite',
  '/%',
  '/v/%ff',
  `/${'a'.repeat(4000)}`,
  '/.env',
  '/dist/../polls.sqlite',
]

function queryJunk(random: Random): string {
  return random.chance(0.7)
    ? ''
    : random.pick([
        '?',
        '?voter=fuzz-query-1&choice=ja',
        '?__proto__[x]=1',
        '?%ff',
        `?${'q'.repeat(2000)}`,
        '?a=%E2%80%AE',
      ])
}

function httpCase(random: Random, token: string): HttpCase {
  const knownId = random.pick(votingPolls).id
  const anyId = random.chance(0.7)
    ? knownId
    : random.pick(WEIRD_IDS)
  const category = random.below(100)
  const jsonHeaders = {
    'content-type': random.pick(['application/json', 'application/json; charset=utf-8', 'Application/JSON']),
  }

  if (category < 35) {
    const poll = pollById(anyId)
    return {
      kind: 'http',
      label: 'invalid vote',
      method: 'POST',
      path: `/api/polls/${anyId}/votes${queryJunk(random)}`,
      headers: jsonHeaders,
      body: json(invalidVoteBody(poll, random)),
      write: true,
    }
  }
  if (category < 42) {
    return {
      kind: 'http',
      label: 'broken body',
      method: 'POST',
      path: `/api/polls/${anyId}/votes`,
      headers: jsonHeaders,
      body: brokenBody(random),
      write: true,
      chunked: random.chance(0.3),
    }
  }
  if (category < 50) {
    const poll = pollById(knownId)!
    const vote = { voter: `fuzz-type-${random.below(1e6)}`, choice: validChoice(poll, random).choice }
    const contentType = random.pick(WRONG_CONTENT_TYPES)
    return {
      kind: 'http',
      label: 'wrong content type',
      method: 'POST',
      path: `/api/polls/${knownId}/votes`,
      headers: contentType
        ? { 'content-type': contentType }
        : {},
      body: json(vote),
      write: true,
    }
  }
  if (category < 55) {
    const poll = pollById(knownId)!
    const { body, mayDrop } = oversized(random, poll)
    return {
      kind: 'http',
      label: 'oversized body',
      method: 'POST',
      path: `/api/polls/${knownId}/votes`,
      headers: { 'content-type': 'application/json' },
      body,
      write: true,
      mayDrop,
      chunked: random.chance(0.3),
    }
  }
  if (category < 58) {
    // A well-formed vote where it cannot count: a closed poll, or a method that takes no votes.
    const poll = random.pick(votingPolls.filter(candidate => !(OPEN_POLLS as readonly string[]).includes(candidate.id)))
    const vote = json({ voter: `fuzz-closed-${random.below(1e6)}`, choice: validChoice(poll, random).choice })
    return random.chance(0.5)
      ? {
          kind: 'http',
          label: 'vote on a closed poll',
          method: 'POST',
          path: `/api/polls/${poll.id}/votes`,
          headers: { 'content-type': 'application/json' },
          body: vote,
          write: true,
        }
      : {
          kind: 'http',
          label: 'vote with a wrong method',
          method: random.pick(['PUT', 'PATCH']),
          path: `/api/polls/${random.pick(OPEN_POLLS)}/votes`,
          headers: { 'content-type': 'application/json' },
          body: json({ voter: 'fuzz-method-1', choice: 'ja' }),
          write: true,
        }
  }
  if (category < 68) {
    const reset = random.chance(0.4)
    return {
      kind: 'http',
      label: 'presenter action without the key',
      method: reset ? 'DELETE' : 'POST',
      path: `/api/polls/${anyId}/${reset ? 'votes' : 'state'}`,
      headers: {
        ...badAuthorization(random, token),
        'content-type': 'application/json',
      },
      body: reset
        ? undefined
        : json(random.pick([
            { state: 'open' },
            { state: 'closed' },
            { revealed: true },
          ])),
      write: true,
    }
  }
  if (category < 76) {
    // With the key, but nothing that could change a poll: a refused patch, or a poll that does not exist.
    const authorization = { authorization: `Bearer ${token}` }
    const roll = random.below(4)
    if (roll === 0) {
      return {
        kind: 'http',
        label: 'presenter reset of an unknown poll',
        method: 'DELETE',
        path: `/api/polls/${random.pick(WEIRD_IDS.filter(id => id !== ''))}/votes`,
        headers: authorization,
        write: true,
      }
    }
    const patch = roll === 1 && knownId !== 'quiz'
      ? { revealed: true }
      : random.pick(INVALID_PATCHES)
    const body = roll === 3
      ? brokenBody(random)
      : json(patch)
    return {
      kind: 'http',
      label: 'presenter with an invalid change',
      method: 'POST',
      path: `/api/polls/${knownId}/state`,
      headers: {
        ...authorization,
        'content-type': random.pick(['application/json', 'text/plain']),
      },
      body,
      write: true,
    }
  }
  if (category < 92) {
    const path = random.pick([
      '/api/polls',
      `/api/polls/${anyId}`,
      `/api/polls/${anyId}/results.csv`,
      `/api/polls/${anyId}/events`,
      '/api/events',
      '/api/join',
      `/api/${random.pick(WEIRD_IDS)}`,
      '/api',
      '/api/polls/',
      `/api/polls/${anyId}/votes`,
    ])
    return {
      kind: 'http',
      label: 'read',
      method: random.pick(['GET', 'GET', 'GET', 'HEAD', 'OPTIONS']),
      path: `${path}${queryJunk(random)}`,
      headers: random.chance(0.2)
        ? { 'accept-encoding': 'br, gzip', 'if-none-match': '*' }
        : {},
      write: false,
    }
  }
  return {
    kind: 'http',
    label: 'static path trick',
    method: random.pick(['GET', 'GET', 'HEAD', 'POST']),
    path: random.pick(STATIC_PATHS),
    headers: {},
    write: false,
  }
}

/** Requests Node's own HTTP parser has to deal with: broken framing, illegal bytes, huge heads. */
function rawCase(random: Random): RawCase {
  const vote = '{"voter":"fuzz-raw-voter-1","choice":"ukjent"}'
  const cases: [string, () => string | Buffer][] = [
    [
      'garbage request line',
      () => 'GARBAGE\r\n\r\n',
    ],
    [
      'unknown HTTP version',
      () => 'GET /api/polls HTTP/9.9\r\nHost: x\r\n\r\n',
    ],
    [
      'no Host header',
      () => 'GET /api/polls HTTP/1.1\r\nConnection: close\r\n\r\n',
    ],
    [
      'content-length and chunked',
      () => `POST /api/polls/valg/votes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${vote.length}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n${vote}`,
    ],
    [
      'bad chunk size',
      () => 'POST /api/polls/valg/votes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n',
    ],
    [
      'negative content-length',
      () => 'POST /api/polls/valg/votes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -1\r\nConnection: close\r\n\r\n{}',
    ],
    [
      'two content-lengths',
      () => `POST /api/polls/valg/votes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: ${vote.length}\r\nConnection: close\r\n\r\n${vote}`,
    ],
    [
      'NUL in a header',
      () => 'GET /api/polls HTTP/1.1\r\nHost: x\r\nX-Evil: a\0b\r\nConnection: close\r\n\r\n',
    ],
    [
      'header without colon',
      () => 'GET /api/polls HTTP/1.1\r\nHost: x\r\nJustText\r\nConnection: close\r\n\r\n',
    ],
    [
      'raw bytes in the path',
      () => Buffer.concat([
        Buffer.from('GET /api/polls/'),
        Buffer.from([0xFF, 0xC3, 0x28, 0x20, 0x09]),
        Buffer.from(' HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
      ]),
    ],
    [
      'UTF-8 in the path',
      () => Buffer.from('GET /api/polls/ørret/votes HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 'utf8'),
    ],
    [
      '20 KB URL',
      () => `GET /api/polls/${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    ],
    [
      '20 KB of headers',
      () => `GET /api/polls HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 100 }, (_, index) => `X-H${index}: ${'v'.repeat(200)}\r\n`).join('')}Connection: close\r\n\r\n`,
    ],
    [
      'UTF-8 in the authorization header',
      () => Buffer.from('DELETE /api/polls/valg/votes HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer nøkkel🔑\r\nConnection: close\r\n\r\n', 'utf8'),
    ],
    [
      'body shorter than its length',
      () => 'POST /api/polls/valg/votes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 40\r\nConnection: close\r\n\r\n{"vo',
    ],
    [
      'absolute URL to another host',
      () => 'GET http://evil.example/api/polls HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n',
    ],
    [
      'CONNECT',
      () => 'CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n',
    ],
    [
      'HTTP/0.9',
      () => 'GET /\r\n\r\n',
    ],
  ]
  const [label, make] = random.pick(cases)
  const made = make()
  return {
    kind: 'raw',
    label,
    bytes: typeof made === 'string'
      ? Buffer.from(made, 'latin1')
      : made,
  }
}

export function fuzzCases(random: Random, count: number, token: string): FuzzCase[] {
  return Array.from({ length: count }, () => random.chance(0.08)
    ? rawCase(random)
    : httpCase(random, token))
}

export { OPEN_POLLS }
