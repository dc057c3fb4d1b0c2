/**
 * The keynote scenario of `npm run bench:polls`: N phones holding exactly what the voting page at /v holds (one
 * `/api/events` stream each, in a worker thread: listener-crowd.ts), one projector on the poll's fast stream, and
 * voting clients on the words poll for D seconds; then the presenter closes the poll.
 */
import type { Listener } from './poll-load.ts'
import { Agent } from 'node:http'
import { cpus } from 'node:os'
import { startPollServer } from '../tools/poll-server-process.ts'
import { waitFor } from '../tools/wait.ts'
import { cpuWatch, createEventBook, eventLatency, formatCpu, formatErrors, lastToArrive, openListener, POLL, printRows, processMemoryMb, runVoters, setPollState, startCrowd } from './poll-load.ts'

export interface PhonesOutcome {
  phones: number
  votesPerSecond: number
  ackP99: number
  projectorP99: number
  dropped: number
  /** From the last acknowledged vote until every phone had the final tally; undefined if some never did. */
  finalTallyMs?: number
  /** From the presenter closing the poll until every phone was told; undefined if some never were. */
  closedMs?: number
  /** CPU the host took while voting (steal time), 1 = one core. */
  stolen: number
  ok: boolean
}

/** How long phones may take to reach the final state before the benchmark stops waiting. */
const SETTLE_MS = 10_000

/** `env`: more settings for the server (e.g. NODE_OPTIONS for a CPU profile). */
export async function runPhones(phones: number, voters: number, durationS: number, env: Record<string, string> = {}): Promise<PhonesOutcome> {
  console.log(`\nKeynote: ${phones} phones on /api/events (what the voting page holds), 1 projector on the fast stream, ${voters} voting clients, ${durationS} s, poll «${POLL}» …`)
  const server = await startPollServer({
    // One address (loopback) holds every phone: the per-address limits off, the total above the crowd.
    env: {
      POLL_RATE_LIMITS: 'off',
      POLL_STREAMS_MAX: String(phones + 100),
      ...env,
    },
  })
  const crowd = { current: undefined as Awaited<ReturnType<typeof startCrowd>> | undefined }
  try {
    const control = new Agent({ keepAlive: true, maxSockets: 2 })
    await setPollState(server, control, 'open')
    const rssIdle = processMemoryMb(server.pid)

    const book = createEventBook(voters)
    const projector: Listener = { times: [], events: [] }
    const projectorAgent = new Agent({ keepAlive: false })
    await openListener(server.url, projector, projectorAgent, book)
    const phoneCrowd = await startCrowd({
      urls: [server.url],
      path: '/api/events',
      listeners: phones,
      voters,
    })
    crowd.current = phoneCrowd
    const rssListening = processMemoryMb(server.pid)

    const cpu = cpuWatch([server.pid])
    const eventsBefore = (await phoneCrowd.progress(-1)).events
    const voting = await runVoters(() => server, voters, durationS)
    const shares = cpu()
    const eventsPerPhone = ((await phoneCrowd.progress(-1)).events - eventsBefore) / phones / voting.seconds
    const acked = voting.acked.length
    const everyPhone = (count: number, dropped: number) => count > 0 && count === phones - dropped
    await waitFor(async () => {
      const progress = await phoneCrowd.progress(acked)
      return everyPhone(progress.atTotal, progress.dropped)
    }, SETTLE_MS)
    const closeSentAt = performance.now()
    await setPollState(server, control, 'closed')
    await waitFor(async () => {
      const progress = await phoneCrowd.progress(acked)
      return everyPhone(progress.closed, progress.dropped)
    }, SETTLE_MS)
    const { dropped } = await phoneCrowd.progress(acked)
    const history = await phoneCrowd.history()
    const finalAt = lastToArrive(history.listeners, event => history.book.totals[event] === acked)
    const closedAt = lastToArrive(history.listeners, (event, time) => time >= closeSentAt && history.closed[event] === 1)
    const { latency, unseen } = eventLatency([projector], voting.acked, book)
    const outcome: PhonesOutcome = {
      phones,
      votesPerSecond: Math.round(acked / voting.seconds),
      ackP99: voting.ackLatency.percentile(0.99),
      projectorP99: latency.percentile(0.99),
      dropped,
      finalTallyMs: finalAt === undefined
        ? undefined
        : Math.max(0, Math.round(finalAt - voting.lastAckAt)),
      closedMs: closedAt === undefined
        ? undefined
        : Math.round(closedAt - closeSentAt),
      stolen: shares.stolen,
      ok: voting.errors.size === 0 && unseen === 0,
    }
    outcome.ok &&= outcome.dropped === 0 && outcome.finalTallyMs !== undefined && outcome.closedMs !== undefined
    const show = (ms: number | undefined) => ms === undefined
      ? `not within ${SETTLE_MS / 1000} s`
      : `${ms} ms`
    printRows([
      [
        'CPU cores (server and load share them)',
        String(cpus().length),
      ],
      ['phones', `${phoneCrowd.connected.connected} connected in ${phoneCrowd.connected.seconds.toFixed(1)} s, ${outcome.dropped} dropped`],
      ['voting clients', `${voters} for ${voting.seconds.toFixed(1)} s`],
      ['acknowledged votes', `${acked} (${outcome.votesPerSecond}/s)`],
      [
        'errors',
        formatErrors(voting.errors),
      ],
      ['vote → 201 p50 / p99', `${voting.ackLatency.percentile(0.5)} / ${outcome.ackP99} ms`],
      ['vote → projector p50 / p99 / max', `${latency.percentile(0.5)} / ${outcome.projectorP99} / ${latency.percentile(1)} ms (${unseen} votes unseen)`],
      ['status events a phone was sent while voting', `${eventsPerPhone.toFixed(2)} a second`],
      [
        'last vote → every phone at the final tally',
        show(outcome.finalTallyMs),
      ],
      [
        'close → every phone told',
        show(outcome.closedMs),
      ],
      ['server RSS', `${rssIdle.toFixed(0)} MB idle, ${rssListening.toFixed(0)} MB with the phones`],
      [
        'CPU while voting (100% = 1 core)',
        formatCpu(shares),
      ],
    ])
    projector.response?.destroy()
    projectorAgent.destroy()
    control.destroy()
    return outcome
  }
  finally {
    // The server goes first: it closes the streams, so the crowd's side leaves no sockets waiting to time out.
    await server.stop()
    await crowd.current?.close()
  }
}
