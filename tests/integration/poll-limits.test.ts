import type { PollServer } from '../../tools/poll-server-process.ts'
import { afterEach, describe, expect, it } from 'vitest'
import { startPollServer } from '../../tools/poll-server-process.ts'
import { sleep } from '../../tools/wait.ts'

let server: PollServer | undefined

afterEach(async () => {
  await server?.stop()
  server = undefined
})

async function openPoll(pollId: string): Promise<void> {
  const response = await fetch(`${server!.url}/api/polls/${pollId}/state`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'authorization': `Bearer ${server!.token}` },
    body: JSON.stringify({ state: 'open' }),
  })
  expect(response.status).toBe(200)
}

function vote(voter: string, choice: string): Promise<Response> {
  return fetch(`${server!.url}/api/polls/valg/votes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ voter, choice }),
  })
}

async function tallies(): Promise<{ total: number, tallies: Record<string, number> }> {
  return await (await fetch(`${server!.url}/api/polls/valg`)).json() as { total: number, tallies: Record<string, number> }
}

describe('rate limits', () => {
  it('answers 429 when one voter changes their vote too often, and keeps the last accepted vote', async () => {
    server = await startPollServer({
      env: { POLL_RATE_PER_VOTER: '3', POLL_RATE_PER_IP: '0', POLL_RATE_WINDOW_MS: '60000' },
    })
    await openPoll('valg')
    const statuses = []
    for (const choice of ['ja', 'nei', 'delvis', 'ja'])
      statuses.push((await vote('samme-velger-1', choice)).status)
    expect(statuses).toEqual([201, 201, 201, 429])
    const refused = await vote('samme-velger-1', 'nei')
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await refused.json() as { error: string }).error).toMatch(/Vent litt/)
    expect(await tallies()).toEqual(expect.objectContaining({
      total: 1,
      tallies: { ja: 0, delvis: 1, nei: 0 },
    }))
    expect((await vote('en-annen-velger', 'ja')).status).toBe(201)
  })

  it('answers 429 when one address sends more votes than the per-address limit', async () => {
    server = await startPollServer({
      env: { POLL_RATE_PER_VOTER: '0', POLL_RATE_PER_IP: '5', POLL_RATE_WINDOW_MS: '60000' },
    })
    await openPoll('valg')
    const statuses = []
    for (let index = 0; index < 7; index++)
      statuses.push((await vote(`velger-nummer-${index}`, 'ja')).status)
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429])
    expect((await tallies()).total).toBe(5)
  })

  it('forgets the counts when the window has passed', async () => {
    server = await startPollServer({
      env: { POLL_RATE_PER_VOTER: '1', POLL_RATE_PER_IP: '0', POLL_RATE_WINDOW_MS: '300' },
    })
    await openPoll('valg')
    // A window starts with the server; once it has passed, the first vote starts the next one, and the second vote
    // comes within it (not across a window's end, as it could when the server started a moment before).
    await sleep(350)
    expect((await vote('talmodig-velger', 'ja')).status).toBe(201)
    expect((await vote('talmodig-velger', 'nei')).status).toBe(429)
    await sleep(350)
    expect((await vote('talmodig-velger', 'nei')).status).toBe(201)
    expect((await tallies()).tallies).toEqual({ ja: 0, delvis: 0, nei: 1 })
  })
})
