/**
 * `npm run bench:polls -- --mode ideas`: the idea wall under load. One server on SQLite; the talk's idea wall holds
 * 200 approved ideas; 2,000 listeners hold the slide's fast stream (in a worker thread, listener-crowd.ts); 50
 * clients lift, each one lift at a time, until 20,000 lifts are acknowledged. Prints acknowledged lifts/s, lift → 201
 * and lift → slide (every lift at every listener: from sending it to the listener's first event counting it).
 *
 * The slide shows the top ideas and counts the people who lifted: every lift is by a new person (the authors take their
 * own lift back first), so once k lifts are acknowledged the slide has counted them when its event says at least k
 * people. A lift is timed from sending it to the first event counting as many people as there were acknowledged
 * lifts with it. Client c lifts ideas c, c + 50, … in turn. Settings: BENCH_IDEAS (200), BENCH_LIFTS (20000),
 * BENCH_LISTENERS (2000), BENCH_LIFTERS (50).
 */
import type { Listener } from './poll-load.ts'
import { Agent } from 'node:http'
import process from 'node:process'
import { startPollServer } from '../tools/poll-server-process.ts'
import { waitFor } from '../tools/wait.ts'
import { openJsonConnection } from './json-connection.ts'
import { formatErrors, Histogram, post, printRows, send, startCrowd } from './poll-load.ts'

const POLL = 'problemet'
const setting = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
const IDEAS = setting('BENCH_IDEAS', 200)
const LIFTS = setting('BENCH_LIFTS', 20_000)
const LISTENERS = setting('BENCH_LISTENERS', 2000)
const LIFTERS = setting('BENCH_LIFTERS', 50)
const textOf = (idea: number) => `Idé nummer ${idea} fra benken`

/** From sending the k-th acknowledged lift to each listener's first event that counts at least k people. */
function peopleLatency(listeners: Listener[], sentAt: number[], totals: number[]): { latency: Histogram, unseen: number } {
  const latency = new Histogram()
  let unseen = 0
  for (const listener of listeners) {
    let event = 0
    sentAt.forEach((sent, index) => {
      while (event < listener.events.length && totals[listener.events[event]!]! < index + 1)
        event++
      if (event === listener.events.length)
        unseen++
      else
        latency.add(listener.times[event]! - sent)
    })
  }
  return { latency, unseen }
}

console.log(`Idea wall benchmark (1 server, SQLite): ${IDEAS} approved ideas, ${LISTENERS} listeners on the slide's stream, ${LIFTERS} lifting clients until ${LIFTS} lifts …`)
const server = await startPollServer({
  env: {
    POLL_RATE_LIMITS: 'off',
    POLL_STREAMS_MAX: String(LISTENERS + 1000),
  },
})
const agent = new Agent({ keepAlive: true, maxSockets: LIFTERS })
try {
  if (await post(server, agent, `/api/polls/${POLL}/state`, { state: 'open' }, server.token) !== 200)
    throw new Error(`Could not open ${POLL}`)
  const ids: string[] = []
  for (let idea = 0; idea < IDEAS; idea++) {
    const author = `bench-author-${idea}`
    const shared = await send(server, agent, 'POST', `/api/polls/${POLL}/ideas`, {
      voter: author,
      text: textOf(idea),
    })
    const { id } = JSON.parse(shared.text) as { id: string }
    ids.push(id)
    await send(server, agent, 'POST', `/api/polls/${POLL}/ideas/${id}/state`, { state: 'approved' }, server.token)
    await send(server, agent, 'DELETE', `/api/polls/${POLL}/ideas/${id}/lifts`, { voter: author })
  }

  const crowd = await startCrowd({
    urls: [server.url],
    path: `/api/polls/${POLL}/events`,
    listeners: LISTENERS,
    voters: 1,
  })

  /** Send times of the acknowledged lifts, in the order they were acknowledged. */
  const acked: number[] = []
  const ackLatency = new Histogram()
  const errors = new Map<string, number>()
  let sent = 0
  const started = performance.now()
  await Promise.all(Array.from({ length: LIFTERS }, async (_, client) => {
    const connection = openJsonConnection(server.url)
    for (let turn = 0; sent < LIFTS; turn++) {
      const idea = (client + turn * LIFTERS) % IDEAS
      const person = sent++
      const sentAt = performance.now()
      try {
        const status = await connection.post(`/api/polls/${POLL}/ideas/${ids[idea]}/lifts`, { voter: `bench-lifter-${person}` })
        if (status === 201) {
          ackLatency.add(performance.now() - sentAt)
          acked.push(sentAt)
        }
        else {
          errors.set(`HTTP ${status}`, (errors.get(`HTTP ${status}`) ?? 0) + 1)
        }
      }
      catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? String(error)
        errors.set(code, (errors.get(code) ?? 0) + 1)
      }
    }
    connection.close()
  }))
  const seconds = (performance.now() - started) / 1000
  const people = acked.length
  const caughtUp = await waitFor(async () => (await crowd.progress(people)).atTotal === LISTENERS, 10_000, 100)
  const progress = await crowd.progress(people)
  const { listeners, book } = await crowd.history()
  await crowd.close()
  const { latency, unseen } = peopleLatency(listeners, acked, book.totals)

  printRows([
    ['listeners', `${crowd.connected.connected}, connected in ${crowd.connected.seconds.toFixed(1)} s`],
    [
      'approved ideas',
      String(IDEAS),
    ],
    ['acknowledged lifts', `${acked.length} (${Math.round(acked.length / seconds)}/s over ${seconds.toFixed(1)} s)`],
    [
      'errors',
      formatErrors(errors),
    ],
    ['lift → 201 p50 / p99', `${ackLatency.percentile(0.5)} / ${ackLatency.percentile(0.99)} ms`],
    ['lift → slide p50 / p99 / max', `${latency.percentile(0.5)} / ${latency.percentile(0.99)} / ${latency.percentile(1)} ms, over ${latency.total} lift×listener pairs`],
    [
      'lifts a listener never saw',
      String(unseen),
    ],
    ['listeners at the final lifts', `${progress.atTotal}/${LISTENERS}${caughtUp ? '' : ' (not all within 10 s)'}; ${progress.dropped} dropped`],
  ])
  process.exitCode = errors.size === 0 && unseen === 0 && caughtUp
    ? 0
    : 1
}
finally {
  agent.destroy()
  await server.stop()
}
