import type { CaddyProxy } from '../../tools/caddy-process.ts'
/**
 * The topology of deploy/compose.yaml with the same programs from Debian instead of images: Caddy running the
 * shipped deploy/Caddyfile (TLS from its local CA on 127.0.0.1, a short read timeout) in front of two poll
 * server processes on one redis-server. Everything a phone or a screen does goes over HTTPS through the proxy.
 */
import type { PollServer } from '../../tools/poll-server-process.ts'
import type { RedisServer } from '../../tools/redis-process.ts'
import type { Target } from './poll-http.ts'
import type { TallyFollower } from './tally-follower.ts'
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../scripts/free-port.ts'
import { startCaddy } from '../../tools/caddy-process.ts'
import { httpsFetch } from '../../tools/https-fetch.ts'
import { startPollServer } from '../../tools/poll-server-process.ts'
import { startRedis } from '../../tools/redis-process.ts'
import { inParallel, pollStatus, postVote, setPollState, sleep, waitFor } from './poll-http.ts'
import { openSse } from './sse.ts'
import { redisVotes } from './stored-votes.ts'
import { followTallies } from './tally-follower.ts'
import { createLedger, describeReport, tallyOf } from './vote-ledger.ts'
import { startStorm } from './vote-storm.ts'

const TOKEN = randomBytes(12).toString('hex')
/** Caddy cuts a stream silent this long; the nodes' heartbeat comes five times as often. */
const PROXY_READ_TIMEOUT = '1500ms'
const HEARTBEAT_MS = '300'

let redis: RedisServer
/** Caddy's port, chosen first: the nodes are told their public address (PUBLIC_URL) as in compose.yaml. */
let proxyPort: number
let nodes: PollServer[] = []
let proxy: CaddyProxy
const followers: TallyFollower[] = []

function nodeEnv(port = '0'): Record<string, string> {
  return {
    PORT: port,
    POLL_STORE: `${redis.url}/0`,
    POLL_TOKEN: TOKEN,
    TRUST_PROXY: '127.0.0.1',
    POLL_HEARTBEAT_MS: HEARTBEAT_MS,
    POLL_RATE_LIMITS: 'off',
    PUBLIC_URL: `https://127.0.0.1:${proxyPort}`,
  }
}

const hostPort = (url: string) => new URL(url).host

/** A phone: its own TLS connections from its own loopback address, to the proxy. */
function phone(index: number): Target {
  return {
    url: proxy.url,
    token: TOKEN,
    fetch: httpsFetch({ ca: proxy.ca, localAddress: `127.0.0.${10 + index}` }),
  }
}

beforeAll(async () => {
  redis = await startRedis()
  proxyPort = await freePort()
  nodes = await Promise.all([
    startPollServer({
      env: nodeEnv(),
    }),
    startPollServer({
      env: nodeEnv(),
    }),
  ])
  proxy = await startCaddy({
    upstreams: nodes.map(node => hostPort(node.url)),
    readTimeout: PROXY_READ_TIMEOUT,
    httpsPort: proxyPort,
  })
}, 60_000)

afterAll(async () => {
  followers.forEach(follower => follower.close())
  await proxy?.stop()
  await Promise.all(nodes.map(node => node.stop()))
  await redis?.remove()
})

describe('the shipped deployment: Caddy over HTTPS → two poll servers → Redis', () => {
  it('counts votes from many phones through the proxy, and listeners on both nodes and on the proxy see every tally', async () => {
    const presenter = phone(0)
    await setPollState(presenter, 'valg', { state: 'open' })
    const direct = await Promise.all(nodes.map(node => openSse(`${node.url}/api/polls/valg/events`)))
    const proxied = await Promise.all([1, 2].map(index => openSse(`${proxy.url}/api/polls/valg/events`, phone(index).fetch)))
    const phones = Array.from({ length: 20 }, (_, index) => phone(index))
    const choices = ['ja', 'delvis', 'nei']
    const statuses: number[] = []
    await inParallel(Array.from({ length: 200 }, (_, index) => index), 20, async (index) => {
      const response = await postVote(phones[index % phones.length]!, 'valg', `telefon-${index}`, choices[index % 3])
      statuses.push(response.status)
      await response.body?.cancel()
    })
    expect(statuses.filter(status => status !== 201)).toEqual([])
    const expected = {
      total: 200,
      tallies: { ja: 67, delvis: 67, nei: 66 },
    }
    expect(await pollStatus(presenter, 'valg')).toMatchObject(expected)
    for (const stream of [
      ...direct,
      ...proxied,
    ]) {
      await stream.next(event => event.event === 'tally' && (JSON.parse(event.data) as { total: number }).total === 200, { timeoutMs: 5000 })
      stream.close()
    }
    await setPollState(presenter, 'valg', { state: 'closed' })
  })

  it('answers the voting page\'s address as https and the health checks through the proxy', async () => {
    const client = phone(3)
    const join = await (await client.fetch!(`${proxy.url}/api/join`)).json() as { url: string }
    expect(join.url).toBe(`${proxy.url}/v`)
    expect((await client.fetch!(`${proxy.url}/healthz`)).status).toBe(200)
    expect(await (await client.fetch!(`${proxy.url}/readyz`)).json()).toEqual({ status: 'ready' })
  })

  it('keeps an idle event stream open past the proxy\'s read timeout, thanks to the heartbeat', async () => {
    const stream = await openSse(`${proxy.url}/api/polls/skala/events`, phone(4).fetch)
    await stream.next(event => event.event === 'tally')
    await sleep(4000) // well past the 1.5 s read timeout, with no vote at all
    const presenter = phone(4)
    await setPollState(presenter, 'skala', { state: 'open' })
    expect((await postVote(presenter, 'skala', 'stille-lytter', 4)).status).toBe(201)
    const event = await stream.next(event => event.event === 'tally' && (JSON.parse(event.data) as { total: number }).total === 1, { timeoutMs: 3000 })
    expect(JSON.parse(event.data)).toMatchObject({ state: 'open', total: 1 })
    stream.close()
    await setPollState(presenter, 'skala', { state: 'closed' })
  })

  it('loses no acknowledged vote in a rolling restart under a vote storm, and every listener ends at the final tally', async () => {
    const presenter = phone(5)
    await setPollState(presenter, 'valg-b', { state: 'open' })
    for (let index = 0; index < 6; index++)
      followers.push(followTallies(`${proxy.url}/api/polls/valg-b/events`, phone(6 + index).fetch))
    const senders = Array.from({ length: 12 }, (_, index) => phone(20 + index))
    const ledger = createLedger()
    const storm = startStorm({
      targets: () => senders,
      pollId: 'valg-b',
      choices: ['planlegging', 'npm', 'samskaping'],
      senders: senders.length,
      votersPerSender: 40,
      seed: 11,
      ledger,
    })
    await sleep(1000)
    // One node at a time: SIGTERM (it drains and exits), start it again on its port, then the other.
    for (const index of [0, 1]) {
      const old = nodes[index]!
      const port = new URL(old.url).port
      const stopped = performance.now()
      await old.stop({ keepDir: true })
      expect(performance.now() - stopped).toBeLessThan(10_000)
      expect(old.output()).toMatch(/SIGTERM: avslutter/)
      nodes[index] = await startPollServer({
        dir: old.dir,
        env: nodeEnv(port),
      })
      await sleep(1500) // Caddy's health check sees it ready again before the next node goes
    }
    await sleep(500)
    await storm.stop()

    const stored = await redisVotes(`${redis.url}/0`, 'valg-b')
    const report = ledger.check(stored)
    expect(report.lost, describeReport(report)).toEqual([])
    expect(report.wrong, describeReport(report)).toEqual([])
    expect(report.acked, describeReport(report)).toBeGreaterThan(200)
    const final = tallyOf(stored)
    expect(await pollStatus(presenter, 'valg-b')).toMatchObject({ total: final.total, tallies: final.tallies })
    const sameTallies = (tallies: Record<string, number> | undefined) => Object.entries(final.tallies).every(([key, count]) => tallies?.[key] === count)
    const allCaughtUp = await waitFor(() => followers.every(follower => sameTallies(follower.latest()?.tallies)), 10_000)
    expect(followers.map(follower => follower.latest()?.tallies), describeReport(report)).toEqual(followers.map(() => expect.objectContaining(final.tallies)))
    expect(allCaughtUp).toBe(true)
    // They were told to reconnect when their node stopped, and did.
    expect(followers.every(follower => follower.connections() >= 2)).toBe(true)
  }, 90_000)
})

describe('the proxy\'s X-Forwarded-For, and the heartbeat\'s job', () => {
  let node: PollServer
  let limitedProxy: CaddyProxy

  beforeAll(async () => {
    node = await startPollServer({
      env: {
        TRUST_PROXY: '127.0.0.1',
        POLL_RATE_PER_IP: '5',
        POLL_RATE_PER_VOTER: '0',
        POLL_RATE_WINDOW_MS: '60000',
        POLL_HEARTBEAT_MS: '60000',
      },
    })
    limitedProxy = await startCaddy({
      upstreams: [
        hostPort(node.url),
      ],
      readTimeout: PROXY_READ_TIMEOUT,
    })
    await setPollState(node, 'valg', { state: 'open' })
  }, 30_000)

  afterAll(async () => {
    await limitedProxy?.stop()
    await node?.stop()
  })

  function from(address: string, url = limitedProxy.url): Target {
    return {
      url,
      token: node.token,
      fetch: httpsFetch({ ca: limitedProxy.ca, localAddress: address }),
    }
  }

  async function statuses(target: Target, count: number, prefix: string, headers: (index: number) => Record<string, string> = () => ({})): Promise<number[]> {
    const answers: number[] = []
    for (let index = 0; index < count; index++) {
      const response = await target.fetch!(`${target.url}/api/polls/valg/votes`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...headers(index),
        },
        body: JSON.stringify({ voter: `telefon-${prefix}-${index}`, choice: 'ja' }),
      })
      answers.push(response.status)
      await response.body?.cancel()
    }
    return answers
  }

  it('limits each phone by the address the proxy saw, and a forged X-Forwarded-For does not escape the limit', async () => {
    expect(await statuses(from('127.0.0.41'), 6, 'a')).toEqual([201, 201, 201, 201, 201, 429])
    // Another phone behind the same proxy has its own allowance: the node does not see one proxy address.
    expect(await statuses(from('127.0.0.42'), 5, 'b')).toEqual([201, 201, 201, 201, 201])
    // A phone writing a new X-Forwarded-For each time is still one address.
    expect(await statuses(from('127.0.0.43'), 6, 'c', index => ({ 'x-forwarded-for': `203.0.113.${index}` })))
      .toEqual([201, 201, 201, 201, 201, 429])
  })

  it('ignores X-Forwarded-For from a client that is not a trusted proxy', async () => {
    // Straight to the node from 127.0.0.45 (not TRUST_PROXY): the header would name six different phones.
    const direct = {
      url: node.url,
      token: node.token,
      fetch: httpsFetch({ localAddress: '127.0.0.45' }),
    }
    expect(await statuses(direct, 6, 'd', index => ({ 'x-forwarded-for': `198.51.100.${index}` })))
      .toEqual([201, 201, 201, 201, 201, 429])
  })

  it('lets the proxy cut a silent stream when the heartbeat is slower than its read timeout', async () => {
    const stream = await openSse(`${limitedProxy.url}/api/polls/valg/events`, from('127.0.0.44').fetch)
    const opened = performance.now()
    await stream.next(event => event.event === 'tally')
    const ended = await waitFor(() => stream.ended(), 5000)
    expect(ended).toBe(true)
    expect(performance.now() - opened).toBeGreaterThan(1000)
  })
})
