import type { ComputedRef, Ref } from 'vue'
import type { PollStatus } from '../../types.ts'
import type { PhoneIdea } from './phone-ideas.ts'
import { computed, reactive, ref, watch } from 'vue'
import { sharedPollClient } from '../../client.ts'
import { normaliseIdea } from './index.ts'
import { ideaProblem, phoneIdeas, waitingIdeas } from './phone-ideas.ts'
import { useIdeaMemory } from './useIdeaMemory.ts'

export interface Said {
  kind: 'ok' | 'problem'
  text: string
}

/**
 * An idea wall on one phone: sharing an idea and lifting others, each confirmed only by the server's answer, and the
 * list with this phone's own ideas and lifts marked.
 */
export function useIdeaPhone(pollId: string, voter: string, status: () => PollStatus): {
  ideas: ComputedRef<PhoneIdea[]>
  waiting: ComputedRef<{ id: string, text: string }[]>
  sharing: Ref<boolean>
  /** Ideas whose lift is on its way to the server. */
  lifting: Set<string>
  /** About the last idea shared. */
  shared: Ref<Said | undefined>
  /** About the last lift that failed. */
  liftProblem: Ref<string | undefined>
  share: (text: string) => Promise<boolean>
  toggleLift: (idea: PhoneIdea) => Promise<void>
} {
  const client = sharedPollClient()
  const { memory, keepMine, keepLift, forget } = useIdeaMemory(pollId)
  const ideas = computed(() => phoneIdeas(status().ideas, memory.value))
  const waiting = computed(() => waitingIdeas(status().ideas, memory.value))
  const sharing = ref(false)
  const lifting = reactive(new Set<string>())
  const shared = ref<Said>()
  const liftProblem = ref<string>()

  // A reset on the presenter's side (or a new session) empties the wall: what this phone kept is gone too. The grace
  // period skips a stale update that overtakes the confirmation of an idea just shared.
  watch(() => status().total, (total) => {
    if (total === 0 && memory.value.at > 0 && Date.now() - memory.value.at > 3000)
      forget()
  })

  async function share(text: string): Promise<boolean> {
    if (sharing.value)
      return false
    const idea = normaliseIdea(text)
    if (!idea.ok) {
      shared.value = { kind: 'problem', text: idea.error }
      return false
    }
    sharing.value = true
    shared.value = undefined
    const wasShown = new Set(ideas.value.map(shown => shown.id))
    const result = await client.shareIdea(pollId, voter, idea.value.text)
    sharing.value = false
    // Only the server's 201 means the idea is stored.
    if (result.status !== 201) {
      shared.value = {
        kind: 'problem',
        text: ideaProblem('share', result.status, result.error),
      }
      return false
    }
    const confirmed = result.body as { id: string, text: string, state: 'pending' | 'approved' }
    keepMine(confirmed.id, confirmed.text)
    shared.value = {
      kind: 'ok',
      text: wasShown.has(confirmed.id)
        ? 'Idéen var alt på veggen – løftet ditt er lagt til.'
        : confirmed.state === 'pending'
          ? 'Takk! Idéen din vises når presentatøren har godkjent den.'
          : 'Takk! Idéen din er på veggen.',
    }
    return true
  }

  async function toggleLift(idea: PhoneIdea): Promise<void> {
    if (lifting.has(idea.id))
      return
    lifting.add(idea.id)
    liftProblem.value = undefined
    const result = await client.liftIdea(pollId, idea.id, voter, !idea.lifted)
    lifting.delete(idea.id)
    if (result.ok)
      keepLift(idea.id, (result.body as { lifted: boolean }).lifted)
    else
      liftProblem.value = ideaProblem('lift', result.status, result.error)
  }

  return {
    ideas,
    waiting,
    sharing,
    lifting,
    shared,
    liftProblem,
    share,
    toggleLift,
  }
}
