import type { Ref } from 'vue'
import { useStorage } from './useStorage.ts'

const storageKey = 'samskaping:presenter-token'

let token: Ref<string | undefined> | undefined

/**
 * The `?token=` of the link the server prints when it starts, taken out of the address bar at once
 * (history.replaceState keeps the path, the other parameters, the hash and the router's state), so it is not
 * left in the history, on a shared screen or in a bookmark.
 */
function takeTokenFromUrl(): string | undefined {
  const url = new URL(location.href)
  if (!url.searchParams.has('token'))
    return undefined
  const found = url.searchParams.get('token')?.trim() || undefined
  url.searchParams.delete('token')
  history.replaceState(history.state, '', url.href)
  return found
}

/**
 * The presenter's secret for the poll server, shared by every poll on the page: read once from the
 * address, then kept in localStorage so the plain presenter link works next time. It is only ever sent
 * as `Authorization` (polls/client.ts).
 */
export function usePresenterToken() {
  if (!token) {
    token = useStorage(storageKey)
    const fromUrl = takeTokenFromUrl()
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
