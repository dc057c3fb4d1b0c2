import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useStorage } from '../../composables/useStorage.ts'

beforeEach(() => localStorage.clear())
afterEach(() => vi.restoreAllMocks())

describe('useStorage', () => {
  it('reads, writes at once and removes on undefined', () => {
    localStorage.setItem('key', 'kept')
    const stored = useStorage('key')
    expect(stored.value).toBe('kept')
    stored.value = 'changed'
    expect(localStorage.getItem('key')).toBe('changed')
    stored.value = undefined
    expect(localStorage.getItem('key')).toBeNull()
  })

  it('treats unreadable JSON as nothing kept', () => {
    localStorage.setItem('json', '{not json')
    expect(useStorage('json', { parse: JSON.parse, stringify: JSON.stringify }).value).toBeUndefined()
  })

  it('keeps the value for this page when storage is blocked', () => {
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new DOMException('blocked', 'SecurityError')
    })
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('blocked', 'SecurityError')
    })
    const stored = useStorage('blocked')
    expect(stored.value).toBeUndefined()
    stored.value = 'in memory'
    expect(stored.value).toBe('in memory')
  })
})
