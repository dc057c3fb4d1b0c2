/**
 * A vote storm for fault tests: many senders vote as fast as the servers answer, each sender for its own voters
 * and one vote at a time (so a voter's votes have a clear order), re-voting often. Every answer goes into the
 * ledger and into `answers`, with when it was sent and answered.
 */
import type { Target } from './poll-http.ts'
import type { Ledger } from './vote-ledger.ts'
import { postVote, sleep } from './poll-http.ts'
import { seededRandom } from './random.ts'
import { outcomeOf } from './vote-ledger.ts'

export interface StormOptions {
  /** Sender `s` votes through `targets()[s % length]`, read anew for every vote (servers may be replaced). */
  targets: () => readonly Target[]
  pollId: string
  /** Choice ids of a single-choice poll. */
  choices: readonly string[]
  senders: number
  votersPerSender: number
  seed: number
  ledger: Ledger
  /** A vote with no answer after this long counts as a hang. */
  timeoutMs?: number
  voterPrefix?: string
}

export interface Answer {
  sender: number
  voter: string
  /** Undefined when the request got no HTTP answer. */
  status?: number
  /** The `error` of a JSON error body, or the network error. */
  error?: string
  sentAt: number
  answeredAt: number
}

export interface Storm {
  answers: Answer[]
  acked: () => number
  /** Stops sending and waits for the votes in flight. */
  stop: () => Promise<void>
}

export function startStorm(options: StormOptions): Storm {
  const answers: Answer[] = []
  let acked = 0
  const storm = { raging: true }
  const senders = Array.from({ length: options.senders }, async (_, sender) => {
    const random = seededRandom(options.seed * 1000 + sender)
    const voters = Array.from({ length: options.votersPerSender }, (_, index) => `${options.voterPrefix ?? 'storm'}-${sender}-${index}`)
    while (storm.raging) {
      const targets = options.targets()
      const target = targets[sender % targets.length]!
      const voter = random.pick(voters)
      const choice = random.pick(options.choices)
      const sentAt = performance.now()
      const answer: Answer = {
        sender,
        voter,
        sentAt,
        answeredAt: sentAt,
      }
      try {
        const response = await postVote(target, options.pollId, voter, choice, options.timeoutMs ?? 10_000)
        answer.status = response.status
        const text = await response.text()
        if (response.status !== 201)
          answer.error = (JSON.parse(text) as { error?: string }).error ?? text
      }
      catch (error) {
        answer.error = error instanceof Error
          ? `${error.name}: ${error.message}${error.cause instanceof Error
            ? ` (${error.cause.message})`
            : ''}`
          : String(error)
      }
      answer.answeredAt = performance.now()
      answers.push(answer)
      options.ledger.record(voter, [choice], outcomeOf(answer.status))
      if (answer.status === 201)
        acked++
      else if (answer.status === undefined)
        await sleep(20) // The server is gone: do not spin.
    }
  })
  return {
    answers,
    acked: () => acked,
    async stop() {
      storm.raging = false
      await Promise.all(senders)
    },
  }
}
