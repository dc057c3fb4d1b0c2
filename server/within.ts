/**
 * The promise's value, or `fallback` once `ms` have passed without one (the promise itself is left to run). The
 * timer is cleared either way, so a short wait never keeps the process alive or piles up timers on a hot path.
 */
export async function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    return await Promise.race([
      promise,
      new Promise<F>(resolve => timer = setTimeout(resolve, ms, fallback)),
    ])
  }
  finally {
    clearTimeout(timer)
  }
}
