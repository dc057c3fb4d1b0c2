import { beforeEach, describe, expect, it, vi } from 'vitest'
import { setPageUrl } from './page-url.ts'

async function freshToken() {
  vi.resetModules() // the token is page-wide state: start each test as a new page load
  const { usePresenterToken } = await import('../../composables/usePresenterToken.ts')
  return usePresenterToken()
}

beforeEach(() => localStorage.clear())

describe('usePresenterToken', () => {
  it('takes the token from the presenter link and keeps it', async () => {
    setPageUrl('http://localhost:3030/presenter/1?token=abc123')
    expect((await freshToken()).token.value).toBe('abc123')
    expect(localStorage.getItem('samskaping:presenter-token')).toBe('abc123')

    setPageUrl('http://localhost:3030/presenter/4')
    expect((await freshToken()).token.value).toBe('abc123')
  })

  it('has no token until one is given, and forgets a refused one', async () => {
    setPageUrl('http://localhost:3030/presenter/1')
    const presenter = await freshToken()
    expect(presenter.token.value).toBeUndefined()
    presenter.setToken('  pasted  ')
    expect(presenter.token.value).toBe('pasted')
    expect(localStorage.getItem('samskaping:presenter-token')).toBe('pasted')
    presenter.forgetToken()
    expect(presenter.token.value).toBeUndefined()
    expect(localStorage.getItem('samskaping:presenter-token')).toBeNull()
  })
})
