/** Small HTTP helpers for tests that drive one or more poll servers. */
import type { PollSnapshot, PollStatus } from '../../polls/types.ts'
import { existsSync, readFileSync } from 'node:fs'
import { parseSavedResults, pickSession } from '../../polls/saved-results.ts'

export interface Target {
  url: string
  token: string
  /** How to reach it; through the TLS proxy, a fetch that trusts the proxy's CA (tools/https-fetch.ts). */
  fetch?: typeof fetch
}

const fetchOf = (target: Pick<Target, 'fetch'>) => target.fetch ?? fetch

export async function setPollState(target: Target, pollId: string, patch: Record<string, unknown>): Promise<PollStatus> {
  const response = await fetchOf(target)(`${target.url}/api/polls/${pollId}/state`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'authorization': `Bearer ${target.token}` },
    body: JSON.stringify(patch),
  })
  if (response.status !== 200)
    throw new Error(`Setting ${pollId} to ${JSON.stringify(patch)} answered ${response.status}: ${await response.text()}`)
  return await response.json() as PollStatus
}

export function postVote(target: Target, pollId: string, voter: string, choice: unknown, timeoutMs = 10_000): Promise<Response> {
  return fetchOf(target)(`${target.url}/api/polls/${pollId}/votes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ voter, choice }),
    signal: AbortSignal.timeout(timeoutMs),
  })
}

export async function pollStatus(target: Target, pollId: string): Promise<PollStatus> {
  const response = await fetchOf(target)(`${target.url}/api/polls/${pollId}`)
  if (response.status !== 200)
    throw new Error(`GET /api/polls/${pollId} answered ${response.status}: ${await response.text()}`)
  return await response.json() as PollStatus
}

/** Runs `work` on every item with at most `width` at a time. */
export async function inParallel<T>(items: readonly T[], width: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const index = next++
      await work(items[index]!, index)
    }
  }))
}

export { sleep, waitFor } from '../../tools/wait.ts'

/** The final results a server saved for its current (newest) session, read from its results file. */
export function savedPolls(file: string): PollSnapshot {
  return existsSync(file)
    ? pickSession(parseSavedResults(JSON.parse(readFileSync(file, 'utf8'))))?.polls ?? {}
    : {}
}
