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

/**
 * Bounds how many different `member`s (voter ids) one key (client address) brings per window: a script inventing
 * a voter id per request is stopped, while a phone changing its own vote is not counted again. Memory only.
 */
export interface NewMemberLimiter {
  allow: (key: string, member: string) => boolean
  retryAfter: () => number
}

export function createNewMemberLimiter(limit: number, windowMs: number, now = Date.now): NewMemberLimiter {
  let windowStart = now()
  let seen = new Map<string, Set<string>>()
  return {
    allow(key, member) {
      if (limit === 0)
        return true
      if (now() - windowStart >= windowMs) {
        windowStart = now()
        seen = new Map()
      }
      let members = seen.get(key)
      if (!members)
        seen.set(key, members = new Set())
      if (members.has(member))
        return true
      if (members.size >= limit)
        return false
      members.add(member)
      return true
    },
    retryAfter: () => Math.max(1, Math.ceil((windowStart + windowMs - now()) / 1000)),
  }
}
