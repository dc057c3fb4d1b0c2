/**
 * The room tried as an attacker would, against the real server on loopback with default limits. Other clients
 * use other 127.0.0.x source addresses (Linux routes all of 127/8 to lo).
 */
import type { ClientRequest, IncomingMessage } from 'node:http'
import type { PollServer } from '../../tools/poll-server-process.ts'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROJECT_ROOT, startPollServer } from '../../tools/poll-server-process.ts'
import { isFormulaCell, readCsv } from '../csv-reader.ts'

let server: PollServer
const held: ClientRequest[] = []

beforeAll(async () => {
  server = await startPollServer({
    env: { POLL_HEADERS_TIMEOUT_MS: '1500', POLL_REQUEST_TIMEOUT_MS: '3000' },
  })
  const opened = await fetch(`${server.url}/api/polls/valg/state`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'authorization': `Bearer ${server.token}` },
    body: JSON.stringify({ state: 'open' }),
  })
  expect(opened.status).toBe(200)
}, 30_000)

afterAll(async () => {
  held.forEach(stream => stream.destroy())
  await server?.stop()
})

interface Answer { status: number, headers: IncomingMessage['headers'], body: string }

/** One request from `localAddress`; an event stream is kept open (in `held`) once its headers arrive. */
function send(path: string, localAddress: string, options: { method?: string, body?: unknown, headers?: Record<string, string> } = {}): Promise<Answer> {
  const url = new URL(path, server.url)
  return new Promise((resolve, reject) => {
    const req = request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: options.method ?? 'GET',
      localAddress,
      headers: {
        ...(options.body === undefined
          ? {}
          : { 'content-type': 'application/json' }),
        ...options.headers,
      },
    }, (response) => {
      if (response.headers['content-type']?.startsWith('text/event-stream') && options.method !== 'HEAD') {
        held.push(req)
        resolve({ status: response.statusCode!, headers: response.headers, body: '' })
        return
      }
      let body = ''
      response.setEncoding('utf8').on('data', chunk => body += chunk).on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }))
    })
    req.on('error', reject)
    req.end(options.body === undefined
      ? undefined
      : JSON.stringify(options.body))
  })
}

describe('a hostile room', () => {
  it('caps event streams per address at 8 with 429 and Retry-After, while other phones still load, listen and vote', async () => {
    const statuses: number[] = []
    for (let index = 0; index < 12; index++)
      statuses.push((await send('/api/polls/valg/events', '127.0.0.2')).status)
    expect(statuses).toEqual([
      ...Array.from({ length: 8 }).fill(200),
      429,
      429,
      429,
      429,
    ])
    const refused = await send('/api/events', '127.0.0.2')
    expect(refused.status).toBe(429)
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    expect(JSON.parse(refused.body).error).toMatch(/For mange åpne live-oppdateringer/)

    expect((await send('/api/events', '127.0.0.3')).status).toBe(200)
    expect((await send('/', '127.0.0.3')).body).toContain('Dekket')
    expect((await send('/api/polls/valg/votes', '127.0.0.3', {
      method: 'POST',
      body: { voter: 'telefon-1234567', choice: 'ja' },
    })).status).toBe(201)
    // A stream given back frees its slot.
    held.shift()!.destroy()
    await new Promise(resolve => setTimeout(resolve, 200))
    expect((await send('/api/polls/valg/events', '127.0.0.2')).status).toBe(200)
  })

  it('stops a voter-id rotator on one address after 120 new voters a minute, while re-votes and other addresses count', async () => {
    const statuses: number[] = []
    for (let index = 0; index < 150; index++) {
      statuses.push((await send('/api/polls/valg/votes', '127.0.0.4', {
        method: 'POST',
        body: { voter: `rotator-${index}-abcdef`, choice: 'nei' },
      })).status)
    }
    expect(statuses.filter(status => status === 201)).toHaveLength(120)
    expect(statuses.slice(120).every(status => status === 429)).toBe(true)
    expect((await send('/api/polls/valg/votes', '127.0.0.4', {
      method: 'POST',
      body: { voter: 'rotator-0-abcdef', choice: 'ja' },
    })).status).toBe(201)
    expect((await send('/api/polls/valg/votes', '127.0.0.5', {
      method: 'POST',
      body: { voter: 'ny-telefon-123456', choice: 'ja' },
    })).status).toBe(201)
  })

  it('throttles wrong presenter tokens per address, but not the presenter elsewhere', async () => {
    const statuses: number[] = []
    for (let index = 0; index < 14; index++) {
      statuses.push((await send('/api/polls/valg/votes', '127.0.0.6', {
        method: 'DELETE',
        headers: { authorization: `Bearer gjett-${index}` },
      })).status)
    }
    expect(statuses.slice(0, 10).every(status => status === 401)).toBe(true)
    expect(statuses.slice(10).every(status => status === 429)).toBe(true)
    const presenter = await send('/api/polls/valg/state', '127.0.0.7', {
      method: 'POST',
      body: { state: 'open' },
      headers: { authorization: `Bearer ${server.token}` },
    })
    expect(presenter.status).toBe(200)
  })

  it('sends nosniff, no-referrer and a CSP refusing framing on API, stream and static responses', async () => {
    for (const path of [
      '/api/polls',
      '/api/nope',
      '/',
      '/presenter/1',
    ]) {
      const answer = await send(path, '127.0.0.8')
      expect(answer.headers['x-content-type-options'], path).toBe('nosniff')
      expect(answer.headers['referrer-policy'], path).toBe('no-referrer')
      expect(answer.headers['content-security-policy'], path).toMatch(/default-src 'self'.*frame-ancestors 'none'/)
    }
    const stream = await send('/api/events', '127.0.0.8')
    expect(stream.headers['x-content-type-options']).toBe('nosniff')
  })

  it('answers HEAD on an event stream with headers only, without a stack trace in the log', async () => {
    const before = server.output().length
    const answer = await send('/api/polls/valg/events', '127.0.0.9', { method: 'HEAD' })
    expect(answer.status).toBe(200)
    expect(answer.headers['content-type']).toMatch(/^text\/event-stream/)
    await new Promise(resolve => setTimeout(resolve, 200))
    expect(server.output().slice(before)).not.toMatch(/ERR_HTTP_HEADERS_SENT|Error/)
  })

  it('gives the voting page\'s address from configuration, whatever Host a client sends', async () => {
    const own = `${server.url}/v`
    for (const host of ['evil.example', '127.0.0.1:1', 'localhost']) {
      const answer = await send('/api/join', '127.0.0.11', {
        headers: { host },
      })
      expect(JSON.parse(answer.body), host).toEqual({ url: own })
    }
  })

  it('keeps a words vote «;=1+1;» out of formula cells in results.csv, for «,» and «;» readers alike', async () => {
    const opened = await send('/api/polls/ord/state', '127.0.0.7', {
      method: 'POST',
      body: { state: 'open' },
      headers: { authorization: `Bearer ${server.token}` },
    })
    expect(opened.status).toBe(200)
    for (const [index, word] of [';=1+1;', '-2+3', 'ja; @sum(a1)'].entries()) {
      expect((await send('/api/polls/ord/votes', '127.0.0.12', {
        method: 'POST',
        body: { voter: `formel-${index}-abcdef`, choice: word },
      })).status).toBe(201)
    }
    const csv = (await send('/api/polls/ord/results.csv', '127.0.0.12')).body.replace(/^\uFEFF/, '')
    const byComma = readCsv(csv, ',')
    expect(byComma.map(row => row[1])).toEqual(expect.arrayContaining([';\'=1+1;', '\'-2+3', 'ja; \'@sum(a1)']))
    for (const separator of [',', ';'] as const)
      expect(readCsv(csv, separator).flat().filter(isFormulaCell), separator).toEqual([])
  })

  it('drops a client that sends its headers a byte at a time', async () => {
    const url = new URL(server.url)
    const socket = connect({
      host: url.hostname,
      port: Number(url.port),
      localAddress: '127.0.0.10',
    })
    // The server hanging up mid-write is what this test waits for.
    socket.on('error', () => {})
    const started = Date.now()
    const timer = setInterval(() => socket.writable && socket.write('X'), 500)
    socket.write('GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ')
    await new Promise(resolve => socket.once('close', resolve))
    clearInterval(timer)
    expect(Date.now() - started).toBeLessThan(8000)
  }, 15_000)
})

describe('free text', () => {
  async function openWords(target: PollServer): Promise<void> {
    const opened = await fetch(`${target.url}/api/polls/ord/state`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'authorization': `Bearer ${target.token}` },
      body: JSON.stringify({ state: 'open' }),
    })
    expect(opened.status).toBe(200)
  }

  function word(target: PollServer, voter: string, choice: string) {
    return fetch(`${target.url}/api/polls/ord/votes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ voter, choice }),
    })
  }

  it('refuses a blocked word, alone or inside a phrase, with a polite Norwegian 400, and it never reaches the slide', async () => {
    await openWords(server)
    for (const [index, text] of ['FAEN', 'møtene er faen meg bortkastet', 'Heil  Hitler!'].entries()) {
      const refused = await word(server, `blokkert-${index}-abcdef`, text)
      expect(refused.status, text).toBe(400)
      expect(await refused.json()).toEqual({ error: 'Svaret inneholder et ord som ikke vises på lysbildet. Prøv gjerne med andre ord.' })
    }
    expect((await word(server, 'ren-tekst-abcdef', 'kukeliku')).status).toBe(201)
    const shown = await (await fetch(`${server.url}/api/polls/ord`)).json() as { tallies: Record<string, number> }
    expect(Object.keys(shown.tallies).filter(key => /faen|hitler/.test(key))).toEqual([])
    expect(shown.tallies.kukeliku).toBe(1)
  })

  it('uses the list POLL_BLOCKLIST names instead of the shipped one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'poll-blocklist-'))
    writeFileSync(join(dir, 'liste.txt'), '# vår egen liste\nmøtehelvete\n')
    const own = await startPollServer({
      env: {
        POLL_BLOCKLIST: join(dir, 'liste.txt'),
      },
    })
    try {
      await openWords(own)
      expect((await word(own, 'egen-liste-1abcdef', 'Møtehelvete')).status).toBe(400)
      expect((await word(own, 'egen-liste-2abcdef', 'faen')).status).toBe(201)
    }
    finally {
      await own.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('presenter token', () => {
  it('a POLL_TOKEN shorter than 16 characters stops the server at start with a clear message', () => {
    const result = spawnSync(process.execPath, ['server/main.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, POLL_TOKEN: 'kort', PORT: '0' },
      encoding: 'utf8',
      timeout: 15_000,
    })
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/POLL_TOKEN er for kort \(4 tegn\).*minst 16/)
  })
})
