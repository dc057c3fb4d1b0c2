import type { Ref } from 'vue'
import type { IdeaMemory } from './phone-ideas.ts'
import { computed } from 'vue'
import { useStorage } from '../../../composables/useStorage.ts'
import { emptyMemory, parseMemory } from './phone-ideas.ts'

/** Which ideas of a wall this phone shared and which it lifts, kept in localStorage (for this visit where blocked). */
export function useIdeaMemory(pollId: string): {
  memory: Ref<IdeaMemory>
  keepMine: (id: string, text: string) => void
  keepLift: (id: string, lifted: boolean) => void
  forget: () => void
} {
  const stored = useStorage<IdeaMemory>(`samskaping:ideas:${pollId}`, {
    parse: parseMemory,
    stringify: value => JSON.stringify(value),
  })
  const memory = computed(() => stored.value ?? emptyMemory)

  function keepLift(id: string, lifted: boolean): void {
    const others = memory.value.lifted.filter(liftedId => liftedId !== id)
    stored.value = {
      ...memory.value,
      lifted: lifted
        ? [...others, id]
        : others,
      at: Date.now(),
    }
  }

  return {
    memory,
    keepMine(id, text) {
      stored.value = {
        ...memory.value,
        mine: { ...memory.value.mine, [id]: text },
      }
      keepLift(id, true)
    },
    keepLift,
    forget: () => stored.value = undefined,
  }
}
