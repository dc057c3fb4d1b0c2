/** A small seeded PRNG (mulberry32): the same seed gives the same run, so a failure can be replayed. */
export interface Random {
  /** A float in [0, 1). */
  next: () => number
  /** A whole number in [0, n). */
  below: (n: number) => number
  pick: <T>(items: readonly T[]) => T
  chance: (probability: number) => boolean
}

export function seededRandom(seed: number): Random {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6D2B79F5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const below = (n: number) => Math.floor(next() * n)
  return {
    next,
    below,
    pick: items => items[below(items.length)]!,
    chance: probability => next() < probability,
  }
}
