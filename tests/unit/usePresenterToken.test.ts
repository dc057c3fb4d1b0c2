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

  it('takes the token out of the address bar at once, keeping the rest of the address and the router\'s state', async () => {
    setPageUrl('http://localhost:3030/presenter/3?clicks=2&token=hemmelig-nokkel-123#notater')
    history.replaceState({ position: 7 }, '', location.href)
    expect((await freshToken()).token.value).toBe('hemmelig-nokkel-123')
    expect(location.href).toBe('http://localhost:3030/presenter/3?clicks=2#notater')
    expect(history.state).toEqual({ position: 7 })
  })

  it('leaves an address without a token alone', async () => {
    setPageUrl('http://localhost:3030/presenter/3?clicks=1')
    const before = history.length
    await freshToken()
    expect(location.href).toBe('http://localhost:3030/presenter/3?clicks=1')
    expect(history.length).toBe(before)
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
