import type { Ref } from 'vue'
import { useStorage } from './useStorage.ts'

const storageKey = 'samskaping:presenter-token'

let token: Ref<string | undefined> | undefined

/** The `?token=` of the link the server prints when it starts. */
function tokenFromUrl(): string | undefined {
  return new URLSearchParams(location.search).get('token')?.trim() || undefined
}

/**
 * The presenter's secret for the poll server, shared by every poll on the page: read once from the
 * address, then kept in localStorage so the plain presenter link works next time.
 */
export function usePresenterToken() {
  if (!token) {
    token = useStorage(storageKey)
    const fromUrl = tokenFromUrl()
    if (fromUrl)
      token.value = fromUrl
  }
  const current = token

  return {
    token: current,
    setToken(value: string): void {
      current.value = value.trim() || undefined
    },
    forgetToken(): void {
      current.value = undefined
    },
  }
}
