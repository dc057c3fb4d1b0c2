import type { PollSnapshot, PollStatus } from '../../polls/types.ts'
import type { PollServer } from '../../tools/poll-server-process.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPollServer } from '../../tools/poll-server-process.ts'
import { polls } from '../fixtures/polls.ts'
import { savedPolls } from './poll-http.ts'

let server: PollServer
let voterCount = 0

function newVoter(): string {
  return `voter-${process.pid}-${++voterCount}`
}

function request(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, init)
}

function postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string'
      ? body
      : JSON.stringify(body),
  })
}

function vote(pollId: string, choice: unknown, voter = newVoter()): Promise<Response> {
  return postJson(`/api/polls/${pollId}/votes`, { voter, choice })
}

async function setState(pollId: string, patch: Record<string, unknown>): Promise<PollStatus> {
  const response = await postJson(`/api/polls/${pollId}/state`, patch, { authorization: `Bearer ${server.token}` })
  expect(response.status).toBe(200)
  return await response.json() as PollStatus
}

async function reset(pollId: string): Promise<PollStatus> {
  const response = await request(`/api/polls/${pollId}/votes`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${server.token}` },
  })
  expect(response.status).toBe(200)
  return await response.json() as PollStatus
}

async function status(pollId: string): Promise<PollStatus> {
  const response = await request(`/api/polls/${pollId}`)
  expect(response.status).toBe(200)
  return await response.json() as PollStatus
}

async function expectError(response: Response | Promise<Response>, status: number, message?: RegExp): Promise<string> {
  const answer = await response
  expect(answer.status).toBe(status)
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/)
  const body = await answer.json() as { error: unknown }
  expect(typeof body.error).toBe('string')
  if (message)
    expect(body.error).toMatch(message)
  return body.error as string
}

function readSnapshot(): PollSnapshot {
  return savedPolls(server.snapshotFile)
}

beforeAll(async () => {
  server = await startPollServer({
    env: { PUBLIC_URL: '' },
  })
})

afterAll(async () => {
  await server?.stop()
})

describe('reading polls', () => {
  it('lists every poll of snippets/polls.ts, closed and empty on a new database', async () => {
    const response = await request('/api/polls')
    expect(response.status).toBe(200)
    const list = await response.json() as PollStatus[]
    expect(list.map(poll => poll.id)).toEqual(polls.map(poll => poll.id))
    for (const poll of list) {
      expect(poll.state).toBe('closed')
      expect(poll.total).toBe(0)
    }
  })

  it('describes a scale poll with one option per value and its end labels', async () => {
    const scale = await status('skala')
    expect(scale).toMatchObject({
      id: 'skala',
      kind: 'scale',
      min: 1,
      max: 5,
      minLabel: 'Forsiktige',
      maxLabel: 'Kompromissløse',
      tallies: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 },
    })
    expect(scale.options.map(option => option.id)).toEqual(['1', '2', '3', '4', '5'])
  })

  it('keeps the quiz answer secret until it is revealed', async () => {
    const quiz = await status('quiz')
    expect(quiz.revealed).toBe(false)
    expect(quiz).not.toHaveProperty('correct')
  })

  it('answers 404 with a JSON error for an unknown poll on every poll route', async () => {
    await expectError(request('/api/polls/finnes-ikke'), 404)
    await expectError(vote('finnes-ikke', 'ja'), 404)
    await expectError(request('/api/polls/finnes-ikke/events'), 404)
    await expectError(request('/api/polls/finnes-ikke/results.csv'), 404)
    await expectError(postJson('/api/polls/finnes-ikke/state', { state: 'open' }, { authorization: `Bearer ${server.token}` }), 404)
  })

  it('answers 404 JSON for unknown API routes', async () => {
    await expectError(request('/api/nothing-here'), 404)
    await expectError(request('/api/polls/valg/nothing'), 404)
  })
})

describe('voting errors', () => {
  beforeAll(async () => {
    for (const poll of polls)
      await setState(poll.id, { state: 'open' })
  })

  it('refuses a vote that is not JSON with 415', async () => {
    const body = JSON.stringify({
      voter: newVoter(),
      choice: 'ja',
    })
    await expectError(request('/api/polls/valg/votes', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body,
    }), 415)
    await expectError(request('/api/polls/valg/votes', {
      method: 'POST',
      body: new Blob([body]),
    }), 415)
  })

  it('refuses malformed JSON with 400', async () => {
    await expectError(postJson('/api/polls/valg/votes', '{"voter": "abcdefgh", "choice": '), 400, /JSON/)
    await expectError(postJson('/api/polls/valg/votes', ''), 400)
    await expectError(postJson('/api/polls/valg/votes', '[1, 2]'), 400)
  })

  it('refuses a body over 2 KB with 413, declared or streamed', async () => {
    const big = JSON.stringify({
      voter: newVoter(),
      choice: 'ja',
      padding: 'x'.repeat(3000),
    })
    await expectError(postJson('/api/polls/valg/votes', big), 413)

    const chunks = Array.from({ length: 64 }, () => new TextEncoder().encode(' '.repeat(1024)))
    const streamed = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks.pop()
        if (chunk)
          controller.enqueue(chunk)
        else
          controller.close()
      },
    })
    const response = await request('/api/polls/valg/votes', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: streamed,
      duplex: 'half',
    } as RequestInit)
    await expectError(response, 413)
    expect((await status('valg')).total).toBe(0)
  })

  it('refuses an invalid voter id with 400', async () => {
    await expectError(vote('valg', 'ja', 'kort'), 400, /voter/)
    await expectError(vote('valg', 'ja', 'har mellomrom i seg'), 400, /voter/)
    await expectError(postJson('/api/polls/valg/votes', { choice: 'ja' }), 400, /voter/)
  })

  it.each([
    ['valg', 'kanskje', /Gyldige er: ja, delvis, nei/],
    ['valg', 3, /Gyldige er/],
    ['valg', undefined, /Mangler «choice»/],
    ['quiz', 'vet ikke', /Gyldige er: samskaping, dugnad/],
    ['flervalg', [], /minst ett/],
    [
      'flervalg',
      ['unge', 'unge'],
      /bare velges én gang/,
    ],
    [
      'flervalg',
      ['unge', 'ingen'],
      /Gyldige er/,
    ],
    ['flervalg', 'unge', /liste/],
    ['skala', 0, /heltall fra 1 til 5/],
    ['skala', 6, /heltall fra 1 til 5/],
    ['skala', 2.5, /heltall fra 1 til 5/],
    ['skala', '3', /heltall fra 1 til 5/],
    ['ord', '   ', /Skriv et ord/],
    [
      'ord',
      'a'.repeat(41),
      /høyst 40 tegn/,
    ],
    ['ord', 'null\u0000byte', /kontrolltegn/],
    ['ord', 'snu\u202Etekst', /kontrolltegn/],
    ['ord', 42, /tekst/],
  ])('refuses %s choice %j with 400 and a clear message', async (pollId, choice, message) => {
    await expectError(vote(pollId, choice), 400, message)
  })

  it('stored none of the refused votes', async () => {
    for (const poll of polls)
      expect((await status(poll.id)).total).toBe(0)
  })

  it('refuses votes on a closed poll with 409', async () => {
    await setState('valg-b', { state: 'closed' })
    await expectError(vote('valg-b', 'npm'), 409, /ikke åpen/)
    expect((await status('valg-b')).total).toBe(0)
  })
})

describe('presenter routes need the token', () => {
  it('answers 401 without a token or with a wrong one, and changes nothing', async () => {
    const before = await status('valg')
    await expectError(postJson('/api/polls/valg/state', { state: 'closed' }), 401)
    await expectError(postJson('/api/polls/valg/state', { state: 'closed' }, { authorization: 'Bearer feil-nøkkel' }), 401)
    await expectError(postJson('/api/polls/valg/state', { state: 'closed' }, { authorization: server.token }), 401)
    await expectError(request('/api/polls/valg/votes', { method: 'DELETE' }), 401)
    await expectError(request('/api/polls/valg/votes', {
      method: 'DELETE',
      headers: { authorization: 'Bearer x' },
    }), 401)
    expect(await status('valg')).toEqual(before)
  })

  it('refuses an empty or wrong state change with 400', async () => {
    const auth = { authorization: `Bearer ${server.token}` }
    await expectError(postJson('/api/polls/valg/state', {}, auth), 400)
    await expectError(postJson('/api/polls/valg/state', { state: 'paused' }, auth), 400)
    await expectError(postJson('/api/polls/valg/state', { revealed: 'yes' }, auth), 400)
    await expectError(postJson('/api/polls/valg/state', { revealed: true }, auth), 400, /quiz/)
    await expectError(request('/api/polls/valg/state', { method: 'POST', headers: auth, body: '{"state":"open"}' }), 415)
  })
})

describe('votes, re-votes and results', () => {
  it('acknowledges a vote with 201 and counts it', async () => {
    await setState('valg', { state: 'open' })
    const response = await vote('valg', 'delvis')
    expect(response.status).toBe(201)
    expect(await response.json()).toEqual({ ok: true, choice: 'delvis' })
    const counted = await status('valg')
    expect(counted.total).toBe(1)
    expect(counted.tallies).toEqual({ ja: 0, delvis: 1, nei: 0 })
  })

  it('keeps only the latest vote of a voter', async () => {
    await reset('valg')
    const voter = newVoter()
    expect((await vote('valg', 'ja', voter)).status).toBe(201)
    expect((await vote('valg', 'nei', voter)).status).toBe(201)
    expect((await vote('valg', 'delvis', voter)).status).toBe(201)
    expect((await vote('valg', 'ja')).status).toBe(201)
    const counted = await status('valg')
    expect(counted.total).toBe(2)
    expect(counted.tallies).toEqual({ ja: 1, delvis: 1, nei: 0 })
  })

  it('replaces every option of a multi vote on re-vote', async () => {
    const voter = newVoter()
    expect((await vote('flervalg', ['unge', 'forskere', 'frivillige'], voter)).status).toBe(201)
    expect((await vote('flervalg', ['naringsliv'], voter)).status).toBe(201)
    expect((await vote('flervalg', ['unge', 'fagfolk'])).status).toBe(201)
    const counted = await status('flervalg')
    expect(counted.total).toBe(2)
    expect(counted.tallies).toEqual({
      unge: 1,
      parorende: 0,
      frivillige: 0,
      fagfolk: 1,
      naringsliv: 1,
      forskere: 0,
    })
  })

  it('counts scale values', async () => {
    for (const value of [1, 4, 4, 5])
      expect((await vote('skala', value)).status).toBe(201)
    const counted = await status('skala')
    expect(counted.total).toBe(4)
    expect(counted.tallies).toEqual({ 1: 1, 2: 0, 3: 0, 4: 2, 5: 1 })
  })

  it('counts words after normalising case, spacing and composition, and keeps markup as plain text', async () => {
    const answers = [
      '  Møter   UTEN mål ',
      'møter uten MÅL',
      'MØTER uten ma\u030Al',
      '<img src=x onerror=alert(1)>',
    ]
    for (const answer of answers)
      expect((await vote('ord', answer)).status).toBe(201)
    const counted = await status('ord')
    expect(counted.total).toBe(4)
    expect(counted.tallies).toEqual({ 'møter uten mål': 3, '<img src=x onerror=alert(1)>': 1 })
    expect(counted.distinctWords).toBe(2)
  })

  it('opens, reveals and closes a quiz', async () => {
    const opened = await setState('quiz', { state: 'open' })
    expect(opened).toMatchObject({ state: 'open', revealed: false })
    expect((await vote('quiz', 'samskaping')).status).toBe(201)
    const revealed = await setState('quiz', { revealed: true })
    expect(revealed).toMatchObject({ state: 'open', revealed: true, correct: 'dugnad' })
    const closed = await setState('quiz', { state: 'closed' })
    expect(closed).toMatchObject({
      state: 'closed',
      revealed: true,
      correct: 'dugnad',
      total: 1,
    })
    await expectError(vote('quiz', 'dugnad'), 409)
  })

  it('writes the final result to the snapshot file when a poll closes', async () => {
    const before = Date.now()
    await setState('valg', { state: 'closed' })
    const entry = readSnapshot().valg
    expect(entry).toBeDefined()
    expect(entry!.total).toBe(2)
    expect(entry!.tallies).toEqual({ ja: 1, delvis: 1, nei: 0 })
    expect(Date.parse(entry!.closedAt)).toBeGreaterThanOrEqual(before - 1000)
    expect(readSnapshot().quiz).toMatchObject({
      total: 1,
      tallies: { samskaping: 1, dugnad: 0 },
      correct: 'dugnad',
    })
  })

  it('leaves polls closed without votes out of the snapshot', async () => {
    await setState('valg-b', { state: 'open' })
    await setState('valg-b', { state: 'closed' })
    expect(readSnapshot()).not.toHaveProperty('valg-b')
  })

  it('saves a quiz revealed after it closed with its answer, and one closed unrevealed without', async () => {
    await reset('quiz')
    await setState('quiz', { state: 'open' })
    expect((await vote('quiz', 'dugnad')).status).toBe(201)
    await setState('quiz', { state: 'closed' })
    expect(readSnapshot().quiz).toMatchObject({
      total: 1,
      tallies: { samskaping: 0, dugnad: 1 },
    })
    expect(readSnapshot().quiz).not.toHaveProperty('correct')
    expect(await status('quiz')).not.toHaveProperty('correct')
    await setState('quiz', { revealed: true })
    expect(readSnapshot().quiz).toMatchObject({ total: 1, correct: 'dugnad' })
  })

  it('resets a poll: no votes, answer hidden again, removed from the snapshot', async () => {
    const cleared = await reset('quiz')
    expect(cleared).toMatchObject({
      total: 0,
      revealed: false,
      tallies: { samskaping: 0, dugnad: 0 },
    })
    expect(cleared).not.toHaveProperty('correct')
    expect(readSnapshot()).not.toHaveProperty('quiz')
    expect(readSnapshot()).toHaveProperty('valg')
  })
})

describe('cSV export', () => {
  it('has a BOM, a header and one row per option with its count', async () => {
    const response = await request('/api/polls/valg/results.csv')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('content-disposition')).toContain('valg-resultater.csv')
    const bytes = new Uint8Array(await response.arrayBuffer())
    expect([
      ...bytes.slice(0, 3),
    ]).toEqual([0xEF, 0xBB, 0xBF])
    expect(new TextDecoder().decode(bytes.slice(3))).toBe('"id","svar","stemmer"\r\n"ja","Ja",1\r\n"delvis","Delvis",1\r\n"nei","Nei",0\r\n')
  })

  it('labels the ends of a scale', async () => {
    const text = (await (await request('/api/polls/skala/results.csv')).text()).replace(/^\uFEFF/, '')
    expect(text.split('\r\n')).toEqual([
      '"id","svar","stemmer"',
      '"1","1 – Forsiktige",1',
      '"2","2",0',
      '"3","3",0',
      '"4","4",2',
      '"5","5 – Kompromissløse",1',
      '',
    ])
  })

  it('quotes commas and quotes and neutralises formulas in typed words', async () => {
    for (const word of [
      '=HYPERLINK("http://x")',
      '-2+3',
      '@sum',
      'ja, men "nei"',
      '+47 møter',
    ])
      expect((await vote('ord', word)).status).toBe(201)
    const text = (await (await request('/api/polls/ord/results.csv')).text()).replace(/^\uFEFF/, '')
    const lines = text.split('\r\n')
    expect(lines[0]).toBe('"id","svar","stemmer"')
    expect(lines[1]).toBe('"møter uten mål","møter uten mål",3')
    expect(lines).toContain(`"'=hyperlink(""http://x"")","'=hyperlink(""http://x"")",1`)
    expect(lines).toContain(`"'-2+3","'-2+3",1`)
    expect(lines).toContain(`"'@sum","'@sum",1`)
    expect(lines).toContain(`"ja, men ""nei""","ja, men ""nei""",1`)
    expect(lines).toContain(`"'+47 møter","'+47 møter",1`)
    expect(lines).toContain('"<img src=x onerror=alert(1)>","<img src=x onerror=alert(1)>",1')
  })
})

describe('the rest of the server', () => {
  it('tells phones where to vote', async () => {
    const response = await request('/api/join')
    expect(await response.json()).toEqual({ url: `${server.url}/v` })
  })

  it('serves the deck for deep links and the voting page under /v', async () => {
    const deepLink = await request('/presenter/5')
    expect(deepLink.status).toBe(200)
    expect(deepLink.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await deepLink.text()).toContain('Dekket')
    expect(await (await request('/v/valg')).text()).toContain('Stemmesiden')
    expect(await (await request('/v')).text()).toContain('Stemmesiden')
    expect((await request('/assets/missing-abc123.js')).status).toBe(404)
    expect((await request('/%2e%2e/%2e%2e/etc/passwd')).status).not.toBe(500)
    expect(await (await request('/%2e%2e/%2e%2e/etc/passwd')).text()).not.toContain('root:')
  })
})
