/**
 * The poll server wired in this process and driven through Hono's `app.request()`: no socket, so the routes
 * read the web request body and stream events as a web Response (the paths a Node server never takes).
 */
import type { PollServer } from '../../server/poll-server.ts'
import type { RedisServer } from '../../tools/redis-process.ts'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { MAX_BODY_BYTES } from '../../server/body.ts'
import { loadConfig } from '../../server/config.ts'
import { createPollServer } from '../../server/poll-server.ts'
import { startRedis } from '../../tools/redis-process.ts'
import { answers, polls } from '../fixtures/polls.ts'
import { waitFor } from './poll-http.ts'

const TOKEN = 'in-process-token'
let dir: string
let redis: RedisServer | undefined

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'poll-in-process-'))
  redis = await startRedis()
})

afterAll(async () => {
  await redis?.remove()
  rmSync(dir, { recursive: true, force: true })
})

let serverCount = 0
function openServer(store: 'SQLite' | 'Redis'): Promise<PollServer> {
  const name = `server-${++serverCount}`
  const config = loadConfig({
    POLL_DB: join(dir, name, 'polls.sqlite'),
    POLL_SNAPSHOT: join(dir, name, 'results.json'),
    POLL_TOKEN: TOKEN,
    POLL_STORE: store === 'Redis'
      ? `${redis!.url}/${serverCount % 16}`
      : undefined,
  }, dir)
  return createPollServer(config, { polls, answers })
}

function request(server: PollServer, path: string, method = 'GET', body?: unknown): Promise<Response> {
  return Promise.resolve(server.app.request(path, {
    method,
    headers: {
      'content-type': 'application/json',
      'authorization': `Bearer ${TOKEN}`,
    },
    body: body === undefined
      ? undefined
      : typeof body === 'string'
        ? body
        : JSON.stringify(body),
  }))
}

describe.each(['SQLite', 'Redis'] as const)('in process on %s', (store) => {
  it('tells the event hub about each change exactly once', async () => {
    const server = await openServer(store)
    try {
      // On Redis the store first announces a resync when it has subscribed: let that pass.
      await request(server, '/api/polls')
      await new Promise(resolve => setTimeout(resolve, 300))
      const pollChanged = vi.spyOn(server.hub, 'pollChanged')
      const stateChanged = vi.spyOn(server.hub, 'stateChanged')

      expect((await request(server, '/api/polls/valg/state', 'POST', { state: 'open' })).status).toBe(200)
      expect((await request(server, '/api/polls/valg/votes', 'POST', { voter: 'voter-in-process', choice: 'ja' })).status).toBe(201)
      expect(await waitFor(() => pollChanged.mock.calls.length >= 1 && stateChanged.mock.calls.length >= 1, 5000)).toBe(true)
      await new Promise(resolve => setTimeout(resolve, 200))
      expect(stateChanged.mock.calls).toEqual([
        ['valg'],
      ])
      expect(pollChanged.mock.calls).toEqual([
        ['valg'],
      ])
    }
    finally {
      await server.close()
    }
  })

  it('reads a web request body and refuses one past the limit', async () => {
    const server = await openServer(store)
    try {
      await request(server, '/api/polls/ord/state', 'POST', { state: 'open' })
      const accepted = await request(server, '/api/polls/ord/votes', 'POST', { voter: 'voter-web-body', choice: '  Lange   MØTER ' })
      expect(accepted.status).toBe(201)
      expect(await accepted.json()).toEqual({ ok: true, choice: 'lange møter' })
      const tooLarge = await request(server, '/api/polls/ord/votes', 'POST', JSON.stringify({
        voter: 'voter-web-body',
        choice: 'x'.repeat(MAX_BODY_BYTES),
      }))
      expect(tooLarge.status).toBe(413)
      expect((await request(server, '/api/polls/ukjent/votes', 'POST', { voter: 'voter-web-body', choice: 'ja' })).status).toBe(404)
    }
    finally {
      await server.close()
    }
  })

  it('streams a poll\'s events as a web response', async () => {
    const server = await openServer(store)
    try {
      const response = await request(server, '/api/polls/skala/events')
      expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
      const reader = response.body!.getReader()
      const decoder = new TextDecoder()
      let text = ''
      while (!text.includes('event: tally')) {
        const { value, done } = await reader.read()
        if (done)
          break
        text += decoder.decode(value, { stream: true })
      }
      expect(text).toMatch(/^retry: 1000\n\n/)
      expect(text).toContain('"id":"skala"')
      await reader.cancel()
      expect(await waitFor(() => server.hub.listenerCount() === 0, 2000)).toBe(true)
    }
    finally {
      await server.close()
    }
  })
})
