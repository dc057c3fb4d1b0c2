// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { within } from '../../server/within.ts'

const after = <T>(ms: number, value: T) => new Promise<T>(resolve => setTimeout(resolve, ms, value))

describe('within', () => {
  it('gives the promise\'s value when it comes in time', async () => {
    expect(await within(after(5, 'answer'), 500, 'too late')).toBe('answer')
  })

  it('gives the fallback when the promise takes longer, without waiting for it', async () => {
    expect(await within(new Promise(() => {}), 20, 'too late')).toBe('too late')
  })

  it('passes a rejection on', async () => {
    await expect(within(Promise.reject(new Error('refused')), 500, 'too late')).rejects.toThrow('refused')
  })
})
