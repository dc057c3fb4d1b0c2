/**
 * Fixed-window counters kept only in memory and forgotten every window: enough to stop one client flooding
 * the room's votes, without storing who anyone is.
 */
export interface RateLimiter {
  /** Counts one request for the key; false when the key is over its limit in this window. */
  allow: (key: string) => boolean
  /** Seconds until the current window ends. */
  retryAfter: () => number
}

export function createRateLimiter(limit: number, windowMs: number, now = Date.now): RateLimiter {
  let windowStart = now()
  let counts = new Map<string, number>()
  function roll(): void {
    if (now() - windowStart >= windowMs) {
      windowStart = now()
      counts = new Map()
    }
  }
  return {
    allow(key) {
      if (limit === 0)
        return true
      roll()
      const count = (counts.get(key) ?? 0) + 1
      counts.set(key, count)
      return count <= limit
    },
    retryAfter: () => Math.max(1, Math.ceil((windowStart + windowMs - now()) / 1000)),
  }
}
