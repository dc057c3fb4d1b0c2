import type { Ref } from 'vue'
import type { Choice } from '../polls/types.ts'
import { ref } from 'vue'

interface Remembered {
  choice: Choice
  /** When the server confirmed it (ms since epoch). */
  at: number
}

const keyFor = (pollId: string) => `samskaping:vote:${pollId}`

function read(pollId: string): Remembered | undefined {
  try {
    const raw = localStorage.getItem(keyFor(pollId))
    return raw
      ? JSON.parse(raw) as Remembered
      : undefined
  }
  catch {
    return undefined
  }
}

/** The vote this phone last had confirmed in a poll, so the page can show it and let it be changed. */
export function useRememberedVote(pollId: string): {
  remembered: Ref<Remembered | undefined>
  remember: (choice: Choice) => void
  forget: () => void
} {
  const remembered = ref<Remembered | undefined>(read(pollId))

  function write(value: Remembered | undefined): void {
    remembered.value = value
    try {
      if (value)
        localStorage.setItem(keyFor(pollId), JSON.stringify(value))
      else
        localStorage.removeItem(keyFor(pollId))
    }
    catch {}
  }

  return {
    remembered,
    remember: choice => write({
      choice,
      at: Date.now(),
    }),
    forget: () => write(undefined),
  }
}
