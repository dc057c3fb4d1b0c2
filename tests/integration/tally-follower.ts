/**
 * A listener that behaves like the deck's EventSource: it follows a poll's `tally` events and, when the stream
 * ends (a node stopping tells it to), connects again after the `retry` the server asked for, through the same
 * address, so behind a balancer it lands on another node and starts from the current tallies.
 */
import type { PollStatus } from '../../polls/types.ts'
import { takeSseBlocks } from '../../tools/sse-blocks.ts'
import { sleep } from './poll-http.ts'

export interface TallyFollower {
  /** The latest tallies received, on whichever connection. */
  latest: () => PollStatus | undefined
  /** How many times the stream was opened. */
  connections: () => number
  close: () => void
}

export function followTallies(url: string, fetchImpl: typeof fetch = fetch): TallyFollower {
  const controller = new AbortController()
  let latest: PollStatus | undefined
  let connections = 0

  async function readOnce(): Promise<number> {
    let retryMs = 1000
    const response = await fetchImpl(url, {
      headers: { accept: 'text/event-stream' },
      signal: controller.signal,
    })
    if (!response.ok || !response.body)
      return retryMs
    connections++
    let buffer = ''
    for await (const chunk of response.body.pipeThrough(new TextDecoderStream())) {
      const taken = takeSseBlocks(buffer + chunk)
      buffer = taken.rest
      for (const block of taken.blocks) {
        const lines = block.split('\n')
        const retry = lines.find(line => line.startsWith('retry: '))
        if (retry)
          retryMs = Number(retry.slice(7))
        if (lines.includes('event: tally'))
          latest = JSON.parse(lines.find(line => line.startsWith('data: '))!.slice(6)) as PollStatus
      }
    }
    return retryMs
  }

  void (async () => {
    while (!controller.signal.aborted) {
      const retryMs = await readOnce().catch(() => 1000)
      await sleep(retryMs)
    }
  })()

  return {
    latest: () => latest,
    connections: () => connections,
    close: () => controller.abort(),
  }
}
