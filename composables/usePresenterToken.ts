import type { Ref } from 'vue'
import { ref } from 'vue'

const storageKey = 'samskaping:presenter-token'

let token: Ref<string | undefined> | undefined

function readStored(): string | undefined {
  try {
    return localStorage.getItem(storageKey) ?? undefined
  }
  catch {
    return undefined // storage blocked (private mode): the token lives for this page only
  }
}

function store(value: string | undefined): void {
  try {
    if (value)
      localStorage.setItem(storageKey, value)
    else
      localStorage.removeItem(storageKey)
  }
  catch {}
}

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
    const fromUrl = tokenFromUrl()
    if (fromUrl)
      store(fromUrl)
    token = ref(fromUrl ?? readStored())
  }
  const current = token

  return {
    token: current,
    setToken(value: string): void {
      const trimmed = value.trim()
      current.value = trimmed || undefined
      store(current.value)
    },
    forgetToken(): void {
      current.value = undefined
      store(undefined)
    },
  }
}
