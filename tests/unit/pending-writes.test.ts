// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { createPendingWrites } from '../../server/store/pending-writes.ts'
import { within } from '../../server/within.ts'

function deferred(): { promise: Promise<string>, resolve: (value: string) => void, reject: (error: Error) => void } {
  let resolve: (value: string) => void = () => {}
  let reject: (error: Error) => void = () => {}
  const promise = new Promise<string>((done, fail) => {
    resolve = done
    reject = fail
  })
  return { promise, resolve, reject }
}

/** 'settled' if the promise is over after the microtasks and one macrotask, else 'waiting'. */
function stateOf(promise: Promise<void>): Promise<'settled' | 'waiting'> {
  return within(promise.then(() => 'settled' as const), 10, 'waiting' as const)
}

describe('pending writes', () => {
  it('settles at once with no write under way', async () => {
    expect(await stateOf(createPendingWrites().settled())).toBe('settled')
  })

  it('settles when every write tracked before is answered, a refused one too, and not before', async () => {
    const writes = createPendingWrites()
    const stored = deferred()
    const refused = deferred()
    expect(await writes.track(Promise.resolve('at once'))).toBe('at once')
    const tracked = writes.track(stored.promise)
    writes.track(refused.promise).catch(() => {})
    const settled = writes.settled()
    expect(await stateOf(settled)).toBe('waiting')
    stored.resolve('stored')
    expect(await tracked).toBe('stored')
    expect(await stateOf(settled)).toBe('waiting')
    refused.reject(new Error('refused'))
    expect(await stateOf(settled)).toBe('settled')
  })

  it('does not wait for writes tracked after it was asked', async () => {
    const writes = createPendingWrites()
    const first = deferred()
    writes.track(first.promise)
    const settled = writes.settled()
    writes.track(deferred().promise)
    first.resolve('stored')
    expect(await stateOf(settled)).toBe('settled')
    expect(await stateOf(writes.settled())).toBe('waiting')
  })
})
