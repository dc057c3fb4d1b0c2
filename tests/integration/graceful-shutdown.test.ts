/**
 * SIGTERM on a real `npm start` process, as a balancer's rolling restart sends it: /readyz answers 503 at once on a
 * connection already there, new connections are refused, a vote in flight finishes and is stored, an event stream
 * is told when to reconnect and then ended, and the process exits within 10 s.
 */
import type { Socket } from 'node:net'
import type { PollServer } from '../../tools/poll-server-process.ts'
import { request } from 'node:http'
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { portAccepts } from '../../scripts/free-port.ts'
import { startPollServer } from '../../tools/poll-server-process.ts'
import { setPollState, sleep, waitFor } from './poll-http.ts'
import { sqliteVotes } from './stored-votes.ts'

let server: PollServer
let port: number

beforeAll(async () => {
  server = await startPollServer()
  port = Number(new URL(server.url).port)
  await setPollState(server, 'valg', { state: 'open' })
})

afterAll(() => server?.stop())

/** A raw connection to the server, and everything it has received so far. */
async function rawConnection(): Promise<{ socket: Socket, received: () => string }> {
  const socket = connect(port, '127.0.0.1')
  let received = ''
  socket.setEncoding('utf8').on('data', (chunk: string) => received += chunk)
  socket.on('error', () => {})
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject))
  return {
    socket,
    received: () => received,
  }
}

/** The event stream's raw text, and whether the server ended it. */
function rawStream(path: string): Promise<{ text: () => string, ended: () => boolean }> {
  return new Promise((resolve, reject) => {
    let text = ''
    let ended = false
    request(`${server.url}${path}`, {
      headers: { accept: 'text/event-stream' },
    }, (response) => {
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => text += chunk)
      response.on('end', () => ended = true)
      response.on('error', () => ended = true)
      resolve({
        text: () => text,
        ended: () => ended,
      })
    }).on('error', reject).end()
  })
}

describe('shutting down on SIGTERM', () => {
  it('turns /readyz 503 at once, refuses new connections, finishes the vote in flight, tells streams to reconnect and exits within 10 s', async () => {
    const stream = await rawStream('/api/polls/valg/events')
    expect(await waitFor(() => stream.text().includes('event: tally'), 5000)).toBe(true)

    // A phone halfway through sending its vote, and a balancer halfway through asking /readyz.
    const body = JSON.stringify({ voter: 'telefon-underveis', choice: 'ja' })
    const phone = await rawConnection()
    phone.socket.write(`POST /api/polls/valg/votes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`)
    const balancer = await rawConnection()
    balancer.socket.write('GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n')
    await sleep(300)

    const signalled = performance.now()
    const stopped = server.stop({ keepDir: true }) // sends SIGTERM, resolves when the process has exited

    expect(await waitFor(async () => !await portAccepts(port), 1000)).toBe(true)

    balancer.socket.write('\r\n')
    expect(await waitFor(() => /\r\n\r\n\{.*\}/s.test(balancer.received()), 3000)).toBe(true)
    expect(balancer.received()).toMatch(/^HTTP\/1\.1 503 /)
    expect(balancer.received()).toMatch(/\r\nconnection: close\r\n/i)
    expect(balancer.received()).toContain('"error":"Tjeneren avslutter')

    phone.socket.write(body.slice(10))
    expect(await waitFor(() => /\r\n\r\n\{.*\}/s.test(phone.received()), 5000)).toBe(true)
    expect(phone.received()).toMatch(/^HTTP\/1\.1 201 /)

    expect(await waitFor(() => stream.ended(), 5000)).toBe(true)
    const reconnect = Number(stream.text().match(/\nretry: (\d+)\n\n$/)?.[1])
    expect(reconnect).toBeGreaterThanOrEqual(250)
    expect(reconnect).toBeLessThan(5000)

    await stopped
    expect(performance.now() - signalled).toBeLessThan(10_000)
    expect(server.output()).toContain('SIGTERM: avslutter')
    expect(sqliteVotes(server.dbFile, 'valg').get('telefon-underveis')).toEqual(['ja'])
  })
})
