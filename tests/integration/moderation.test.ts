/**
 * Free text in a room with pranksters: the presenter hides an answer (gone from slide, phones and CSV, kept and
 * restorable), and a words poll takes at most POLL_WORDS_MAX different words.
 */
import type { ItemRecord, PollStatus } from '../../polls/types.ts'
import type { PollServer } from '../../tools/poll-server-process.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startPollServer } from '../../tools/poll-server-process.ts'
import { pollStatus, postVote, setPollState } from './poll-http.ts'
import { openSse } from './sse.ts'

let server: PollServer
beforeAll(async () => {
  server = await startPollServer({
    env: { POLL_RATE_LIMITS: 'off', POLL_WORDS_MAX: '4' },
  })
  await setPollState(server, 'ord', { state: 'open' })
})
afterAll(async () => {
  await server?.stop()
})

const presenter = () => ({ 'content-type': 'application/json', 'authorization': `Bearer ${server.token}` })

async function answers(): Promise<ItemRecord[]> {
  return await (await fetch(`${server.url}/api/polls/ord/answers`, {
    headers: presenter(),
  })).json() as ItemRecord[]
}

async function hide(answer: string, hidden: boolean): Promise<Response> {
  return fetch(`${server.url}/api/polls/ord/answers/hidden`, {
    method: 'POST',
    headers: presenter(),
    body: JSON.stringify({ answer, hidden }),
  })
}

async function csv(): Promise<string> {
  return (await (await fetch(`${server.url}/api/polls/ord/results.csv`)).text()).replace(/"/g, '')
}

describe('moderating free text', () => {
  it('lists the newest answers for the presenter, hides one everywhere but keeps its votes, and shows it again', async () => {
    for (const [voter, word] of [
      ['mod-voter-1', 'tillit'],
      ['mod-voter-2', 'tull og tøys'],
      ['mod-voter-3', 'tillit'],
      ['mod-voter-4', 'siloer'],
    ] as const)
      expect((await postVote(server, 'ord', voter, word)).status).toBe(201)
    expect(await answers()).toEqual([
      { item: 'siloer', votes: 1, hidden: false },
      { item: 'tull og tøys', votes: 1, hidden: false },
      { item: 'tillit', votes: 2, hidden: false },
    ])

    const hidden = await hide('tull og tøys', true)
    expect(hidden.status).toBe(200)
    expect(await hidden.json()).toContainEqual({ item: 'tull og tøys', votes: 1, hidden: true })
    const status = await pollStatus(server, 'ord')
    expect(status.tallies).toEqual({ tillit: 2, siloer: 1 })
    expect(status.total).toBe(4)
    expect(await csv()).not.toContain('tull og tøys')
    // The slide's stream and the voting page's stream leave it out too.
    for (const path of ['/api/polls/ord/events', '/api/polls/ord/events?pace=phone']) {
      const stream = await openSse(`${server.url}${path}`)
      const tally = await stream.next(event => event.event === 'tally')
      stream.close()
      expect(JSON.parse(tally.data)).toMatchObject({
        tallies: { tillit: 2, siloer: 1 },
      })
      expect(tally.data).not.toContain('tull og tøys')
    }

    expect((await hide('tull og tøys', false)).status).toBe(200)
    expect((await pollStatus(server, 'ord')).tallies).toEqual({ 'tillit': 2, 'siloer': 1, 'tull og tøys': 1 })
    expect(await csv()).toContain('tull og tøys')
  })

  it('keeps moderation for the presenter: 401 without the token, 400 for a poll without free text or a bad body', async () => {
    expect((await fetch(`${server.url}/api/polls/ord/answers`)).status).toBe(401)
    expect((await fetch(`${server.url}/api/polls/ord/answers/hidden`, { method: 'POST', body: '{}' })).status).toBe(401)
    const choice = await fetch(`${server.url}/api/polls/valg/answers`, {
      headers: presenter(),
    })
    expect(choice.status).toBe(400)
    expect(await choice.json()).toEqual({
      error: expect.stringContaining('fritekst'),
    })
    const bad = await fetch(`${server.url}/api/polls/ord/answers/hidden`, {
      method: 'POST',
      headers: presenter(),
      body: JSON.stringify({ answer: 'x' }),
    })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toEqual({
      error: expect.stringContaining('hidden'),
    })
  })

  it('refuses a new word once the poll holds POLL_WORDS_MAX different ones, with a clear 409, but takes words already there', async () => {
    // Three words so far (tillit, tull og tøys, siloer); the cap is 4.
    expect((await postVote(server, 'ord', 'cap-voter-1', 'samarbeid')).status).toBe(201)
    const full = await postVote(server, 'ord', 'cap-voter-2', 'noe helt nytt')
    expect(full.status).toBe(409)
    expect(await full.json()).toEqual({
      error: expect.stringContaining('så mange ulike svar'),
    })
    expect((await postVote(server, 'ord', 'cap-voter-2', 'Tillit')).status).toBe(201)
    expect(((await pollStatus(server, 'ord')) as PollStatus).distinctWords).toBe(4)
  })
})
