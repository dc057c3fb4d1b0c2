/**
 * The keynote scenario of `npm run bench:polls`: N phones holding exactly what the voting page at /v holds (one
 * `/api/events` stream each, in a worker thread: phone-crowd.ts), one projector on the poll's fast stream, and
 * voting clients on the words poll for D seconds; then the presenter closes the poll.
 */
import type { CrowdConnected, CrowdReport, CrowdRequest } from './phone-crowd.ts'
import type { Listener } from './poll-load.ts'
import { Agent } from 'node:http'
import { cpus } from 'node:os'
import { Worker } from 'node:worker_threads'
import { startPollServer } from '../tools/poll-server-process.ts'
import { cpuWatch, createEventBook, eventLatency, formatErrors, openListener, POLL, printRows, processMemoryMb, runVoters, setPollState, sleep } from './poll-load.ts'

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
  ok: boolean
}

/** How long phones may take to reach the final state before the benchmark stops waiting. */
const SETTLE_MS = 10_000

interface Crowd {
  connected: CrowdConnected
  report: () => Promise<CrowdReport>
  close: () => Promise<void>
}

async function startCrowd(url: string, phones: number): Promise<Crowd> {
  const worker = new Worker(new URL('./phone-crowd.ts', import.meta.url), {
    workerData: { url, phones },
  })
  const next = <T>() => new Promise<T>((resolve, reject) => {
    function answered(message: T): void {
      worker.off('error', failed)
      resolve(message)
    }
    function failed(error: Error): void {
      worker.off('message', answered)
      reject(error)
    }
    worker.once('message', answered)
    worker.once('error', failed)
  })
  const send = (message: CrowdRequest) => worker.postMessage(message)
  const connected = await next<CrowdConnected>()
  return {
    connected,
    report() {
      const answer = next<CrowdReport>()
      send({ type: 'report' })
      return answer
    },
    async close() {
      const exited = new Promise(resolve => worker.once('exit', resolve))
      send({ type: 'close' })
      await exited
    },
  }
}

/** Waits until `done` says every phone is there; returns the time the last one got there, or undefined. */
async function settle(crowd: Crowd, done: (report: CrowdReport) => number | undefined): Promise<number | undefined> {
  const deadline = performance.now() + SETTLE_MS
  while (performance.now() < deadline) {
    const at = done(await crowd.report())
    if (at !== undefined)
      return at
    await sleep(50)
  }
  return undefined
}

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
  const epoch = (at: number) => performance.timeOrigin + at
  let crowd: Crowd | undefined
  try {
    const control = new Agent({ keepAlive: true, maxSockets: 2 })
    await setPollState(server, control, 'open')
    const rssIdle = processMemoryMb(server.pid)

    const book = createEventBook(voters)
    const projector: Listener = { times: [], events: [] }
    const projectorAgent = new Agent({ keepAlive: false })
    await openListener(server.url, projector, projectorAgent, book)
    crowd = await startCrowd(server.url, phones)
    const rssListening = processMemoryMb(server.pid)

    const cpu = cpuWatch([server.pid])
    const eventsBefore = (await crowd.report()).events
    const voting = await runVoters(() => server, voters, durationS)
    const shares = cpu()
    const eventsPerPhone = ((await crowd.report()).events - eventsBefore) / phones / voting.seconds
    const acked = voting.acked.length
    const finalTally = await settle(crowd, report => report.totals.length === 1 && report.totals[0]![0] === acked
      ? report.totals[0]![2]
      : undefined)

    const closeSentAt = performance.now()
    await setPollState(server, control, 'closed')
    const closedAt = await settle(crowd, report => report.closed.phones === phones - report.dropped
      ? report.closed.latestAt
      : undefined)
    const last = await crowd.report()
    const { latency, unseen } = eventLatency([projector], voting.acked, book)
    const outcome: PhonesOutcome = {
      phones,
      votesPerSecond: Math.round(acked / voting.seconds),
      ackP99: voting.ackLatency.percentile(0.99),
      projectorP99: latency.percentile(0.99),
      dropped: last.dropped,
      finalTallyMs: finalTally === undefined
        ? undefined
        : Math.max(0, Math.round(finalTally - epoch(voting.lastAckAt))),
      closedMs: closedAt === undefined
        ? undefined
        : Math.round(closedAt - epoch(closeSentAt)),
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
      ['phones', `${last.connected} connected in ${crowd.connected.seconds.toFixed(1)} s, ${outcome.dropped} dropped`],
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
      ['CPU while voting (100% = 1 core)', `server ${(shares.servers * 100).toFixed(0)}%, load generator ${(shares.loadGenerator * 100).toFixed(0)}%, rest of the machine ${(shares.rest * 100).toFixed(0)}%`],
    ])
    projector.response?.destroy()
    projectorAgent.destroy()
    control.destroy()
    return outcome
  }
  finally {
    // The server goes first: it closes the streams, so the crowd's side leaves no sockets waiting to time out.
    await server.stop()
    await crowd?.close()
  }
}
