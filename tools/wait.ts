/** Waiting in tests and benchmarks: a pause, and polling a condition until it holds. */

export const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms))

/** Polls `check` until it returns true or `timeoutMs` passes; returns whether it did. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 25): Promise<boolean> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    if (await check())
      return true
    if (performance.now() > deadline)
      return false
    await sleep(everyMs)
  }
}
