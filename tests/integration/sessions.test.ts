/**
 * Sessions through the API of a real poll server, on SQLite and on Redis: every presentation keeps its own results,
 * «Nullstill» sets votes aside instead of deleting them, and only the presenter (token) sees or changes sessions.
 */
import type { PollStatus } from '../../polls/types.ts'
import type { PollServer } from '../../tools/poll-server-process.ts'
import type { RedisServer } from '../../tools/redis-process.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dateLabel } from '../../polls/format.ts'
import { startPollServer } from '../../tools/poll-server-process.ts'
import { startRedis } from '../../tools/redis-process.ts'
import { pollStatus, postVote, savedPolls, setPollState } from './poll-http.ts'

interface SessionSummary {
  id: number
  name: string
  startedAt: string
  current: boolean
  totals: Record<string, number>
}

let redis: RedisServer
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(async () => {
  await redis?.remove()
})

const stores = [
  {
    name: 'SQLite',
    env: (): Record<string, string> => ({}),
  },
  {
    name: 'Redis',
    env: (): Record<string, string> => ({ POLL_STORE: `${redis.url}/3` }),
  },
]

describe.each(stores)('sessions ($name)', (store) => {
  let server: PollServer
  const start = (dir?: string) => startPollServer({
    dir,
    env: {
      ...store.env(),
      POLL_RATE_LIMITS: 'off',
    },
    args: ['--session', 'Arendalsuka 2027'],
  })

  beforeAll(async () => {
    server = await start()
  })
  afterAll(async () => {
    await server?.stop()
    if (store.name === 'Redis') {
      const { Redis } = await import('ioredis')
      const client = new Redis(`${redis.url}/3`)
      await client.flushdb()
      client.disconnect()
    }
  })

  const authorised = (init: RequestInit = {}): RequestInit => ({
    ...init,
    headers: { 'content-type': 'application/json', 'authorization': `Bearer ${server.token}`, ...init.headers },
  })

  async function api<T>(path: string, init: RequestInit = {}, status = 200): Promise<T> {
    const response = await fetch(`${server.url}${path}`, authorised(init))
    const text = await response.text()
    expect(response.status, `${init.method ?? 'GET'} ${path}: ${text}`).toBe(status)
    return (response.headers.get('content-type')?.includes('json')
      ? JSON.parse(text)
      : text) as T
  }

  async function vote(pollId: string, voter: string, choice: unknown): Promise<void> {
    const response = await postVote(server, pollId, voter, choice)
    expect(response.status, await response.clone().text()).toBe(201)
  }

  it('starts the server in the session named on the command line, and keeps it on a restart with the same name', async () => {
    const sessions = await api<SessionSummary[]>('/api/sessions')
    expect(sessions).toEqual([
      expect.objectContaining({ name: 'Arendalsuka 2027', current: true }),
    ])
    expect(server.output()).toContain('Økt:          Arendalsuka 2027')
    await server.stop({ keepDir: true })
    server = await start(server.dir)
    expect(await api<SessionSummary[]>('/api/sessions')).toEqual(sessions)
  })

  it('answers 401 without the presenter\'s token, and 404 for a session or poll that does not exist', async () => {
    for (const [method, path] of [
      ['GET', '/api/sessions'],
      ['POST', '/api/sessions'],
      ['GET', '/api/sessions/1/polls/valg'],
      ['GET', '/api/sessions/1/results.csv'],
      ['DELETE', '/api/sessions/1'],
      ['POST', '/api/polls/valg/votes/restore'],
      ['GET', '/api/polls/ord/answers'],
    ] as const) {
      const response = await fetch(`${server.url}${path}`, { method })
      expect(response.status, `${method} ${path}`).toBe(401)
      expect(await response.json()).toEqual({
        error: expect.stringContaining('nøkkel'),
      })
    }
    for (const path of [
      '/api/sessions/999/polls/valg',
      '/api/sessions/999/results.csv',
      '/api/sessions/x/polls/valg',
      '/api/sessions/1/polls/finnes-ikke',
    ]) {
      expect(await api<{ error: string }>(path, {}, 404)).toEqual({
        error: expect.any(String),
      })
    }
  })

  it('refuses a session without a proper name, saying why in Norwegian', async () => {
    for (const body of [
      {},
      { name: '' },
      { name: '   ' },
      {
        name: 'x'.repeat(81),
      },
      { name: 'a\u0007b' },
      { name: 7 },
    ]) {
      const { error } = await api<{ error: string }>('/api/sessions', {
        method: 'POST',
        body: JSON.stringify(body),
      }, 400)
      expect(error).toMatch(/navn|«name»|kontrolltegn|tekst/i)
    }
  })

  it('gives a new session every poll closed and empty, and keeps the earlier session whole', async () => {
    await setPollState(server, 'valg', { state: 'open' })
    await vote('valg', 'session-voter-1', 'ja')
    await vote('valg', 'session-voter-2', 'ja')
    await vote('valg', 'session-voter-3', 'nei')
    await setPollState(server, 'valg', { state: 'closed' })
    const [arendal] = await api<SessionSummary[]>('/api/sessions')
    expect(savedPolls(server.snapshotFile).valg).toMatchObject({ total: 3 })

    const before = Date.now()
    const seminar = await api<SessionSummary>('/api/sessions', {
      method: 'POST',
      body: JSON.stringify({ name: ' Kommuneseminar ' }),
    }, 201)
    expect(seminar).toEqual({
      id: expect.any(Number),
      name: 'Kommuneseminar',
      startedAt: expect.any(String),
      current: true,
      totals: expect.objectContaining({ valg: 0 }),
    })
    expect(Date.parse(seminar.startedAt)).toBeGreaterThanOrEqual(before - 1000)

    const statuses = await (await fetch(`${server.url}/api/polls`)).json() as PollStatus[]
    expect(statuses.every(status => status.state === 'closed' && status.total === 0)).toBe(true)
    expect(await pollStatus(server, 'valg')).toMatchObject({
      state: 'closed',
      total: 0,
      tallies: { ja: 0, delvis: 0, nei: 0 },
    })

    await setPollState(server, 'valg', { state: 'open' })
    await vote('valg', 'session-voter-1', 'delvis')

    const sessions = await api<SessionSummary[]>('/api/sessions')
    expect(sessions).toEqual([
      {
        ...arendal,
        current: false,
        totals: expect.objectContaining({ valg: 3, skala: 0 }),
      },
      {
        ...seminar,
        current: true,
        totals: expect.objectContaining({ valg: 1 }),
      },
    ])
    expect(await api<PollStatus>(`/api/sessions/${arendal!.id}/polls/valg`)).toEqual({
      ...await pollStatus(server, 'valg'),
      state: 'closed',
      total: 3,
      tallies: { ja: 2, delvis: 0, nei: 1 },
    })
    const csv = (await api<string>(`/api/sessions/${arendal!.id}/results.csv`)).replace(/"/g, '').split('\r\n')
    expect(csv[0]).toBe('avstemning,spørsmål,id,svar,stemmer')
    expect(csv).toContain('valg,Testvalg: ja, delvis eller nei?,ja,Ja,2')
    expect(csv).toContain('valg,Testvalg: ja, delvis eller nei?,nei,Nei,1')
    expect(csv).toContain('skala,Testskala: hvor enig er du?,1,1 – Forsiktige,0')
    const now = (await api<string>(`/api/sessions/${seminar.id}/results.csv`)).replace(/"/g, '').split('\r\n')
    expect(now).toContain('valg,Testvalg: ja, delvis eller nei?,delvis,Delvis,1')

    // The results file lists both, each with its own numbers; a build shows the newest unless told otherwise.
    await setPollState(server, 'valg', { state: 'closed' })
    expect(savedPolls(server.snapshotFile).valg).toMatchObject({
      total: 1,
      tallies: { delvis: 1 },
    })
  })

  it('sets votes aside on «Nullstill» and brings them back on restore, a newer vote of the same voter winning', async () => {
    await setPollState(server, 'skala', { state: 'open' })
    await vote('skala', 'reset-voter-1', 1)
    await vote('skala', 'reset-voter-2', 5)
    const reset = await api<PollStatus>('/api/polls/skala/votes', { method: 'DELETE' })
    expect(reset).toMatchObject({ total: 0, discarded: 2 })
    await vote('skala', 'reset-voter-2', 3)
    expect(await pollStatus(server, 'skala')).toMatchObject({ total: 1, discarded: 1 })
    const restored = await api<{ restored: number, status: PollStatus }>('/api/polls/skala/votes/restore', { method: 'POST' })
    expect(restored.restored).toBe(1)
    expect(restored.status).toMatchObject({
      total: 2,
      tallies: { 1: 1, 3: 1, 5: 0 },
    })
    expect(restored.status).not.toHaveProperty('discarded')
  })

  it('deletes an earlier session on request, never the current one', async () => {
    const [arendal, seminar] = await api<SessionSummary[]>('/api/sessions')
    expect(await api<{ error: string }>(`/api/sessions/${seminar!.id}`, { method: 'DELETE' }, 409)).toEqual({
      error: expect.stringContaining('Start en ny økt'),
    })
    expect(await api<{ deleted: number }>(`/api/sessions/${arendal!.id}`, { method: 'DELETE' })).toEqual({ deleted: arendal!.id })
    await api(`/api/sessions/${arendal!.id}`, { method: 'DELETE' }, 404)
    await api(`/api/sessions/${arendal!.id}/polls/valg`, {}, 404)
    expect((await api<SessionSummary[]>('/api/sessions')).map(session => session.id)).toEqual([seminar!.id])
  })

  it('names a session started without a name after the day it started', async () => {
    const other = await startPollServer({
      env: {
        ...store.env(),
        POLL_STORE: store.name === 'Redis'
          ? `${redis.url}/4`
          : '',
      },
    })
    try {
      const response = await fetch(`${other.url}/api/sessions`, {
        headers: { authorization: `Bearer ${other.token}` },
      })
      const [only] = await response.json() as SessionSummary[]
      expect(only).toMatchObject({
        name: dateLabel(Date.parse(only!.startedAt)),
        current: true,
      })
    }
    finally {
      await other.stop()
    }
  })
})
