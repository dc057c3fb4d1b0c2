/**
 * The idea wall through the API of a real poll server, on SQLite and on Redis: sharing (pre- and post-moderated),
 * duplicates merged, lifts once per voter and idea, the presenter's moderation, CSV and saved results, and no
 * acknowledged lift lost when the server is killed in a lift storm.
 */
import type { PollStatus } from '../../polls/types.ts'
import type { PollServer } from '../../tools/poll-server-process.ts'
import type { RedisServer } from '../../tools/redis-process.ts'
import Database from 'better-sqlite3'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IDEA_WALL_MAX } from '../../polls/kinds/ideas/index.ts'
import { startPollServer } from '../../tools/poll-server-process.ts'
import { startRedis } from '../../tools/redis-process.ts'
import { inParallel, pollStatus, savedPolls, setPollState, waitFor } from './poll-http.ts'
import { openSse } from './sse.ts'

let redis: RedisServer
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(async () => {
  await redis?.remove()
})

/** Every voter who lifts an idea, read straight from the store's database (the current session, current round). */
async function storedLifters(server: PollServer, store: string, ideaId: string): Promise<Set<string>> {
  if (store === 'SQLite') {
    const db = new Database(server.dbFile, { readonly: true })
    try {
      return new Set(db.prepare<[number], { voter_id: string }>('SELECT voter_id FROM session_idea_lifts WHERE idea_id = ?').all(Number(ideaId)).map(row => row.voter_id))
    }
    finally {
      db.close()
    }
  }
  const client = new Redis(`${redis.url}/6`)
  try {
    const keys = await client.keys(`samskaping:s:*:poll:ideer-fri:r*:lifters:${ideaId}`)
    return new Set(keys.length
      ? await client.smembers(keys[0]!)
      : [])
  }
  finally {
    client.disconnect()
  }
}

const stores = [
  {
    name: 'SQLite',
    env: (): Record<string, string> => ({}),
  },
  {
    name: 'Redis',
    env: (): Record<string, string> => ({ POLL_STORE: `${redis.url}/5` }),
  },
]

describe.each(stores)('the idea wall ($name)', (store) => {
  let server: PollServer
  beforeAll(async () => {
    server = await startPollServer({
      env: store.env(),
    })
    await setPollState(server, 'ideer', { state: 'open' })
    await setPollState(server, 'ideer-fri', { state: 'open' })
  })
  afterAll(async () => {
    await server?.stop()
  })

  const presenter = () => ({ 'content-type': 'application/json', 'authorization': `Bearer ${server.token}` })
  const json = { 'content-type': 'application/json' }

  function share(pollId: string, voter: string, text: unknown): Promise<Response> {
    return fetch(`${server.url}/api/polls/${pollId}/ideas`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ voter, text }),
    })
  }

  function lift(pollId: string, ideaId: string, voter: string, method = 'POST'): Promise<Response> {
    return fetch(`${server.url}/api/polls/${pollId}/ideas/${ideaId}/lifts`, {
      method,
      headers: json,
      body: JSON.stringify({ voter }),
    })
  }

  async function presenterStatus(pollId: string): Promise<PollStatus> {
    return await (await fetch(`${server.url}/api/polls/${pollId}`, {
      headers: presenter(),
    })).json() as PollStatus
  }

  it('shows an idea only once the presenter approves it, and merges the same idea with its lifts', async () => {
    const first = await share('ideer', 'wall-voter-1', '  Vi  snakker for lite med de unge  ')
    expect(first.status).toBe(201)
    const idea = await first.json() as { id: string, text: string, state: string }
    expect(idea).toEqual({
      id: expect.any(String),
      text: 'Vi snakker for lite med de unge',
      state: 'pending',
    })
    expect(await pollStatus(server, 'ideer')).toMatchObject({
      kind: 'ideas',
      ideas: [],
      ideaCount: 0,
      pending: 1,
      total: 1,
      tallies: {},
    })

    const again = await share('ideer', 'wall-voter-2', 'vi snakker for lite med DE UNGE')
    expect(again.status).toBe(201)
    expect(await again.json()).toEqual({ ...idea, state: 'pending' })
    expect((await presenterStatus('ideer')).ideas).toEqual([
      { ...idea, lifts: 2, state: 'pending' },
    ])

    const approved = await fetch(`${server.url}/api/polls/ideer/ideas/${idea.id}/state`, {
      method: 'POST',
      headers: presenter(),
      body: JSON.stringify({ state: 'approved' }),
    })
    expect(approved.status).toBe(200)
    expect(await approved.json()).toEqual({
      id: idea.id,
      text: idea.text,
      lifts: 2,
      state: 'approved',
    })
    expect(await pollStatus(server, 'ideer')).toMatchObject({
      ideas: [
        { id: idea.id, text: idea.text, lifts: 2 },
      ],
      ideaCount: 1,
      pending: 0,
      total: 2,
      tallies: { [idea.text]: 2 },
    })
    expect((await pollStatus(server, 'ideer')).ideas![0]).not.toHaveProperty('state')
  })

  it('lifts once per person, withdraws a lift, and keeps pending and hidden ideas out of reach', async () => {
    const { id } = await (await share('ideer-fri', 'lift-author', 'Flere møteplasser')).json() as { id: string }
    expect((await lift('ideer-fri', id, 'lift-voter')).status).toBe(201)
    const second = await lift('ideer-fri', id, 'lift-voter')
    expect(second.status).toBe(200)
    expect(await second.json()).toEqual({ lifted: true })
    expect((await pollStatus(server, 'ideer-fri')).ideas).toEqual([
      { id, text: 'Flere møteplasser', lifts: 2 },
    ])
    const withdrawn = await lift('ideer-fri', id, 'lift-voter', 'DELETE')
    expect(withdrawn.status).toBe(200)
    expect(await withdrawn.json()).toEqual({ lifted: false })
    expect((await pollStatus(server, 'ideer-fri')).ideas![0]!.lifts).toBe(1)

    const { id: pendingId } = await (await share('ideer', 'lift-author', 'Venter på godkjenning')).json() as { id: string }
    expect((await lift('ideer', pendingId, 'lift-voter')).status).toBe(404)
    await fetch(`${server.url}/api/polls/ideer-fri/ideas/${id}/state`, {
      method: 'POST',
      headers: presenter(),
      body: JSON.stringify({ state: 'hidden' }),
    })
    expect((await lift('ideer-fri', id, 'lift-voter-2')).status).toBe(404)
    expect((await pollStatus(server, 'ideer-fri')).ideas).toEqual([])
    expect((await presenterStatus('ideer-fri')).ideas).toEqual([
      {
        id,
        text: 'Flere møteplasser',
        lifts: 1,
        state: 'hidden',
      },
    ])
    expect((await (await fetch(`${server.url}/api/polls/ideer-fri/results.csv`)).text())).not.toContain('Flere møteplasser')
    await fetch(`${server.url}/api/polls/ideer-fri/ideas/${id}/state`, {
      method: 'POST',
      headers: presenter(),
      body: JSON.stringify({ state: 'approved' }),
    })
    expect((await (await fetch(`${server.url}/api/polls/ideer-fri/results.csv`)).text()).replace(/"/g, '')).toContain('Flere møteplasser,Flere møteplasser,1')
  })

  it('sends the projector\'s fast stream only the ideas the slide shows, and phones and reads every idea', async () => {
    for (let index = 0; index < IDEA_WALL_MAX + 3; index++)
      expect((await share('ideer-fri', `many-ideas-${index}`, `Idé nummer ${index}`)).status).toBe(201)
    const all = await pollStatus(server, 'ideer-fri')
    expect(all.ideas!.length).toBe(all.ideaCount)
    expect(all.ideaCount).toBeGreaterThan(IDEA_WALL_MAX)
    const fast = await openSse(`${server.url}/api/polls/ideer-fri/events`)
    const slide = JSON.parse((await fast.next(event => event.event === 'tally')).data) as PollStatus
    fast.close()
    expect(slide.ideas).toEqual(all.ideas!.slice(0, IDEA_WALL_MAX))
    expect(slide).toMatchObject({ ideaCount: all.ideaCount, total: all.total })
  })

  it('answers bad ideas and bad requests with clear Norwegian errors', async () => {
    const cases: [Promise<Response>, number, RegExp][] = [
      [
        share('ideer', 'error-voter-1', ''),
        400,
        /Skriv idéen/,
      ],
      [
        share('ideer', 'error-voter-1', '   '),
        400,
        /Skriv idéen/,
      ],
      [
        share('ideer', 'error-voter-1', 'x'.repeat(141)),
        400,
        /høyst 140 tegn/,
      ],
      [
        share('ideer', 'error-voter-1', 'faen heller'),
        400,
        /ord som ikke vises/,
      ],
      [
        share('ideer', 'error-voter-1', 42),
        400,
        /tekst/,
      ],
      [
        share('ideer', 'kort', 'En idé'),
        400,
        /voter/,
      ],
      [
        share('valg', 'error-voter-1', 'En idé'),
        404,
        /tar ikke imot idéer/,
      ],
      [
        share('finnes-ikke', 'error-voter-1', 'En idé'),
        404,
        /Fant ingen avstemning/,
      ],
      [
        lift('ideer', 'abc', 'error-voter-1'),
        404,
        /Fant ingen idé/,
      ],
      [
        lift('ideer', '999999', 'error-voter-1'),
        404,
        /Fant ingen idé/,
      ],
      [
        fetch(`${server.url}/api/polls/ideer/ideas/1/state`, { method: 'POST', headers: json, body: '{"state":"approved"}' }),
        401,
        /nøkkel/,
      ],
      [
        fetch(`${server.url}/api/polls/ideer/ideas/1/state`, {
          method: 'POST',
          headers: presenter(),
          body: '{"state":"kanskje"}',
        }),
        400,
        /«state»/,
      ],
      [
        fetch(`${server.url}/api/polls/ideer`, {
          headers: { authorization: 'Bearer feil-nokkel-0123456789' },
        }),
        401,
        /nøkkel/,
      ],
      [
        fetch(`${server.url}/api/polls/ideer/votes`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ voter: 'error-voter-1', choice: 'x' }),
        }),
        400,
        /Del en idé/,
      ],
    ]
    for (const [request, status, message] of cases) {
      const response = await request
      const body = await response.json() as { error: string }
      expect({ status: response.status, error: body.error }).toEqual({
        status,
        error: expect.stringMatching(message),
      })
    }
  })

  it('takes one idea per person at a time (429 with Retry-After), and none once the wall is closed (409)', async () => {
    expect((await share('ideer', 'pace-voter', 'Første idé')).status).toBe(201)
    const tooSoon = await share('ideer', 'pace-voter', 'Andre idé')
    expect(tooSoon.status).toBe(429)
    expect(Number(tooSoon.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await tooSoon.json() as { error: string }).error).toContain('Vent litt')
    await setPollState(server, 'ideer', { state: 'closed' })
    const closed = await share('ideer', 'pace-voter-2', 'For sent')
    expect(closed.status).toBe(409)
    expect(await closed.json()).toEqual({ error: 'Idéveggen er ikke åpen.' })
    // The closed wall's approved ideas are its saved result.
    expect(savedPolls(server.snapshotFile).ideer).toMatchObject({
      total: 4,
      tallies: { 'Vi snakker for lite med de unge': 2 },
    })
    await setPollState(server, 'ideer', { state: 'open' })
  })

  it('keeps every acknowledged lift when the server is killed in a lift storm', async () => {
    const storm = await startPollServer({
      env: {
        ...store.env(),
        POLL_RATE_LIMITS: 'off',
        ...store.name === 'Redis'
          ? { POLL_STORE: `${redis.url}/6` }
          : {},
      },
    })
    try {
      await setPollState(storm, 'ideer-fri', { state: 'open' })
      const shared = await fetch(`${storm.url}/api/polls/ideer-fri/ideas`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ voter: 'storm-author', text: 'Felles mål' }),
      })
      const { id } = await shared.json() as { id: string }
      const acknowledged = new Set<string>()
      let stopped = false
      const voters = Array.from({ length: 3000 }, (_, index) => `storm-lifter-${index}`)
      const running = inParallel(voters, 30, async (voter) => {
        if (stopped)
          return
        const response = await fetch(`${storm.url}/api/polls/ideer-fri/ideas/${id}/lifts`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ voter }),
        })
          .catch(() => undefined)
        if (response?.status === 201)
          acknowledged.add(voter)
      })
      expect(await waitFor(() => acknowledged.size >= 200, 20_000, 5), 'the storm got under way').toBe(true)
      await storm.kill()
      stopped = true
      await running
      const restarted = await startPollServer({
        dir: storm.dir,
        env: {
          ...store.env(),
          POLL_RATE_LIMITS: 'off',
          ...store.name === 'Redis'
            ? { POLL_STORE: `${redis.url}/6` }
            : {},
        },
      })
      try {
        const lifters = await storedLifters(restarted, store.name, id)
        const lost = [...acknowledged].filter(voter => !lifters.has(voter))
        expect(lost, 'acknowledged lifts missing after the restart').toEqual([])
        const wall = await pollStatus(restarted, 'ideer-fri')
        expect(wall.ideas![0]!.lifts).toBe(lifters.size)
        process.stdout.write(`lift storm (${store.name}): ${acknowledged.size} lifts acknowledged before SIGKILL, ${lifters.size} stored after the restart\n`)
      }
      finally {
        await restarted.stop()
      }
    }
    finally {
      await storm.stop()
    }
  }, 60_000)
})
