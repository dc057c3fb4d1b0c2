import type { AddressInfo } from 'node:net'
import type { ViteDevServer } from 'vite'
import type { PollStatus } from '../../polls/types.ts'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { createServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pollServerPlugin } from '../../plugins/poll-server.ts'
import { openSse } from './sse.ts'

let dir: string
let vite: ViteDevServer
let url: string
const token = 'dev-token-1234567890'

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'poll-dev-'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Vite-dekk</title>')
  vite = await createServer({
    root: dir,
    configFile: false,
    logLevel: 'silent',
    server: {
      port: 0,
      host: '127.0.0.1',
      strictPort: false,
      ws: false,
    },
    plugins: [
      pollServerPlugin({
        cwd: dir,
        env: {
          POLL_DB: join(dir, 'polls.sqlite'),
          POLL_SNAPSHOT: join(dir, 'results.json'),
          POLL_TOKEN: token,
          POLL_DEFINITIONS: process.env.POLL_DEFINITIONS,
        },
      }),
    ],
  })
  await vite.listen()
  url = `http://127.0.0.1:${(vite.httpServer!.address() as AddressInfo).port}`
})

afterAll(async () => {
  await vite?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the poll API inside Vite\'s dev server', () => {
  it('answers /api on the dev server\'s own origin and leaves other paths to Vite', async () => {
    const list = await (await fetch(`${url}/api/polls`)).json() as PollStatus[]
    expect(list.map(poll => poll.id)).toContain('valg')
    expect(await (await fetch(`${url}/`)).text()).toContain('Vite-dekk')
    expect((await fetch(`${url}/api/unknown`)).status).toBe(404)
  })

  it('takes votes and pushes them over SSE', async () => {
    const opened = await fetch(`${url}/api/polls/valg/state`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'authorization': `Bearer ${token}` },
      body: JSON.stringify({ state: 'open' }),
    })
    expect(opened.status).toBe(200)
    const stream = await openSse(`${url}/api/polls/valg/events`)
    await stream.next(() => true)
    const voted = await fetch(`${url}/api/polls/valg/votes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ voter: 'dev-voter-1', choice: 'ja' }),
    })
    expect(voted.status).toBe(201)
    const event = await stream.next(received => (JSON.parse(received.data) as PollStatus).total === 1)
    expect((JSON.parse(event.data) as PollStatus).tallies.ja).toBe(1)
    stream.close()
  })

  it('tells phones the dev server\'s address', async () => {
    expect(await (await fetch(`${url}/api/join`)).json()).toEqual({ url: `${url}/v` })
  })
})
