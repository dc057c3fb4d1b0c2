import type { Ref } from 'vue'
import type { Choice } from '../polls/types.ts'
import { useStorage } from '../composables/useStorage.ts'

interface Remembered {
  choice: Choice
  /** When the server confirmed it (ms since epoch). */
  at: number
}

/** The vote this phone last had confirmed in a poll, so the page can show it and let it be changed. */
export function useRememberedVote(pollId: string): {
  remembered: Ref<Remembered | undefined>
  remember: (choice: Choice) => void
  forget: () => void
} {
  const remembered = useStorage<Remembered>(`samskaping:vote:${pollId}`, {
    parse: raw => JSON.parse(raw) as Remembered,
    stringify: value => JSON.stringify(value),
  })
  return {
    remembered,
    remember: choice => remembered.value = {
      choice,
      at: Date.now(),
    },
    forget: () => remembered.value = undefined,
  }
}
