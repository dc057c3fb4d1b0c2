import type { Ref } from 'vue'
import type { Checked, Choice, PollDefinition } from '../polls/types.ts'
import { ref } from 'vue'
import { inputOf } from '../polls/kinds/inputs.ts'
import { parseVote } from '../polls/vote.ts'

/**
 * The answer being put together, starting from the vote this phone already gave (as the kind's input takes
 * it); `check` applies the server's own rules so a problem is explained before sending.
 */
export function useVoteDraft(poll: PollDefinition, given: Choice | undefined): {
  draft: Ref<Choice | undefined>
  check: (voter: string) => Checked<Choice>
} {
  const draft = ref<Choice | undefined>(inputOf(poll.kind)?.draft(given))

  function check(voter: string): Checked<Choice> {
    const choice = draft.value
    if (choice === undefined || choice === '' || (Array.isArray(choice) && choice.length === 0))
      return { ok: false, error: 'Velg et svar først.' }
    const checked = parseVote(poll, { voter, choice })
    return checked.ok
      ? { ok: true, value: checked.value.choice }
      : checked
  }

  return { draft, check }
}
