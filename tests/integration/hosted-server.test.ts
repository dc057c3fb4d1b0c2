/**
 * What a deck hosted elsewhere and a load balancer ask of one poll server: CORS for the allowed origins only,
 * health checks without a token, and /readyz turning 503 the moment the server starts to drain or its store stops
 * answering.
 */
import type { PollServer } from '../../server/poll-server.ts'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isMixedContent } from '../../polls/poll-server.ts'
import { loadConfig } from '../../server/config.ts'
import { createPollServer } from '../../server/poll-server.ts'
import { startRedis } from '../../tools/redis-process.ts'
import { answers, polls } from '../fixtures/polls.ts'
import { waitFor } from './poll-http.ts'

const DECK = 'https://deck.example.org'
let dir: string
let server: PollServer

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'poll-hosted-'))
  server = await createPollServer(loadConfig({
    POLL_DB: join(dir, 'polls.sqlite'),
    POLL_SNAPSHOT: join(dir, 'results.json'),
    POLL_TOKEN: 'hosted-presenter-token',
    POLL_ALLOWED_ORIGINS: `${DECK}, http://127.0.0.1:4173`,
  }, dir), { polls, answers })
})

afterAll(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('cORS for decks on other origins', () => {
  it('lets an allowed origin read results and answers its preflight for presenter actions', async () => {
    const read = await server.app.request('/api/polls/valg', {
      headers: { origin: DECK },
    })
    expect(read.status).toBe(200)
    expect(read.headers.get('access-control-allow-origin')).toBe(DECK)
    expect(read.headers.get('vary')).toContain('Origin')
    const preflight = await server.app.request('/api/polls/valg/state', {
      method: 'OPTIONS',
      headers: { 'origin': DECK, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe(DECK)
    expect(preflight.headers.get('access-control-allow-headers')).toBe('Authorization, Content-Type')
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST')
    const action = await server.app.request('/api/polls/valg/state', {
      method: 'POST',
      headers: { 'origin': DECK, 'content-type': 'application/json', 'authorization': 'Bearer hosted-presenter-token' },
      body: JSON.stringify({ state: 'open' }),
    })
    expect(action.status).toBe(200)
    expect(action.headers.get('access-control-allow-origin')).toBe(DECK)
  })

  it('gives any other origin no CORS headers at all', async () => {
    const read = await server.app.request('/api/polls/valg', {
      headers: { origin: 'https://evil.example' },
    })
    expect(read.headers.get('access-control-allow-origin')).toBeNull()
    const preflight = await server.app.request('/api/polls/valg/state', {
      method: 'OPTIONS',
      headers: { 'origin': 'https://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull()
    expect(preflight.headers.get('access-control-allow-headers')).toBeNull()
  })

  it('refuses a malformed POLL_ALLOWED_ORIGINS at start', () => {
    expect(() => loadConfig({ POLL_ALLOWED_ORIGINS: 'https://deck.example.org/talk', POLL_TOKEN: 'hosted-presenter-token' }, dir)).toThrow(/POLL_ALLOWED_ORIGINS/)
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33', POLL_TOKEN: 'hosted-presenter-token' }, dir)).toThrow(/TRUST_PROXY/)
  })
})

describe('health checks', () => {
  it('answers /healthz and /readyz without a token, and /readyz 503 once the server drains', async () => {
    expect(await (await server.app.request('/healthz')).json()).toEqual({ status: 'ok' })
    const ready = await server.app.request('/readyz')
    expect(ready.status).toBe(200)
    server.drain()
    const draining = await server.app.request('/readyz')
    expect(draining.status).toBe(503)
    expect((await draining.json() as { error: string }).error).toMatch(/avslutter/)
    expect((await server.app.request('/healthz')).status).toBe(200)
  })
})

describe('readiness follows the store', () => {
  it('answers /readyz 503 while Redis is down and 200 again once it is back, /healthz 200 throughout', async () => {
    const redis = await startRedis()
    const node = await createPollServer(loadConfig({
      POLL_STORE: `${redis.url}/0`,
      POLL_SNAPSHOT: join(dir, 'redis-results.json'),
      POLL_TOKEN: 'hosted-presenter-token',
    }, dir), { polls, answers })
    try {
      expect((await node.app.request('/readyz')).status).toBe(200)
      await redis.kill()
      const down = await node.app.request('/readyz')
      expect(down.status).toBe(503)
      expect(await down.json()).toEqual({ status: 'unavailable', error: 'Databasen svarer ikke.' })
      expect((await node.app.request('/healthz')).status).toBe(200)
      await redis.start()
      expect(await waitFor(async () => (await node.app.request('/readyz')).status === 200, 10_000)).toBe(true)
    }
    finally {
      await node.close()
      await redis.remove()
    }
  })
})

describe('mixed content', () => {
  it('flags an HTTPS deck pointed at an http:// server, except on loopback', () => {
    expect(isMixedContent('https:', 'http://polls.example.org')).toBe(true)
    expect(isMixedContent('https:', 'https://polls.example.org')).toBe(false)
    expect(isMixedContent('http:', 'http://polls.example.org')).toBe(false)
    expect(isMixedContent('https:', 'http://localhost:3030')).toBe(false)
    expect(isMixedContent('https:', '')).toBe(false)
  })
})
