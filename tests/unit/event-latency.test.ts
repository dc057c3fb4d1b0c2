// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { eventLatency, WARM_UP_S } from '../../scripts/poll-load.ts'

/** Two voting clients; each event carries their counts. */
const book = {
  counts: [
    Int32Array.of(1, 0),
    Int32Array.of(1, 1),
    Int32Array.of(2, 1),
  ],
}

describe('the storm\'s vote → event latency', () => {
  it('times each vote at each listener to the first event that counts it, and by the second the vote was sent in', () => {
    const acked = [
      { client: 0, k: 1, sentAt: 1000 },
      { client: 1, k: 1, sentAt: 2500 },
      { client: 0, k: 2, sentAt: 2600 },
    ]
    const listeners = [
      {
        events: [0, 1, 2],
        times: [1030, 2600, 2700],
      },
      // Never sent event 1 (event 2 carries its votes too): the second and third votes are both counted by event 2.
      {
        events: [0, 2],
        times: [1050, 2800],
      },
    ]
    const { latency, bySecond, unseen } = eventLatency(listeners, acked, book)

    expect(unseen).toBe(0)
    expect(latency.total).toBe(6)
    expect(latency.percentile(1)).toBe(300)
    expect(bySecond).toHaveLength(2)
    expect(bySecond[0]!.total).toBe(2)
    expect(bySecond[0]!.percentile(0.99)).toBe(50)
    expect(bySecond[1]!.total).toBe(4)
    expect(bySecond[1]!.percentile(0.5)).toBe(100)
    expect(bySecond[1]!.percentile(0.99)).toBe(300)
  })

  it('counts a vote a listener never saw, and leaves a second without votes empty', () => {
    const acked = [
      { client: 0, k: 1, sentAt: 0 },
      { client: 1, k: 1, sentAt: 2100 },
    ]
    const { latency, bySecond, unseen } = eventLatency([
      {
        events: [0],
        times: [40],
      },
    ], acked, book)

    expect(unseen).toBe(1)
    expect(latency.total).toBe(1)
    expect(bySecond[0]!.percentile(0.99)).toBe(40)
    expect(bySecond[1]).toBeUndefined()
    expect(bySecond[2]!.total).toBe(0)
  })

  it('times separately the votes sent once the server had its first seconds to warm up', () => {
    const warm = WARM_UP_S * 1000
    const acked = [
      { client: 0, k: 1, sentAt: 0 },
      { client: 1, k: 1, sentAt: warm - 1 },
      { client: 0, k: 2, sentAt: warm },
    ]
    const { latency, afterWarmUp } = eventLatency([
      {
        events: [0, 1, 2],
        times: [150, warm + 20, warm + 60],
      },
    ], acked, book)

    expect(latency.total).toBe(3)
    expect(latency.percentile(1)).toBe(150)
    expect(afterWarmUp.total).toBe(1)
    expect(afterWarmUp.percentile(0.99)).toBe(60)
  })
})
