import type { Ref } from 'vue'
import type { PollDefinition } from '../polls/types.ts'
import type { Checked } from '../polls/vote.ts'
import type { Choice } from './useRememberedVote.ts'
import { ref } from 'vue'
import { parseVote } from '../polls/vote.ts'

/**
 * The answer being put together, one model per kind of control, starting from the vote this phone
 * already gave; `check` applies the server's own rules so a problem is explained before sending.
 */
export function useVoteDraft(poll: PollDefinition, given: Choice | undefined): {
  picked: Ref<string | string[] | undefined>
  scaleValue: Ref<number | undefined>
  word: Ref<string>
  check: (voter: string) => Checked<Choice>
} {
  const picked = ref<string | string[] | undefined>(typeof given === 'string' || Array.isArray(given)
    ? given
    : undefined)
  if (poll.kind === 'multi' && !Array.isArray(picked.value))
    picked.value = []
  const scaleValue = ref<number | undefined>(typeof given === 'number'
    ? given
    : undefined)
  const word = ref(typeof given === 'string'
    ? given
    : '')

  function check(voter: string): Checked<Choice> {
    const choice = poll.kind === 'scale'
      ? scaleValue.value
      : poll.kind === 'words'
        ? word.value
        : picked.value
    if (choice === undefined || choice === '' || (Array.isArray(choice) && choice.length === 0))
      return { ok: false, error: 'Velg et svar først.' }
    const checked = parseVote(poll, { voter, choice })
    return checked.ok
      ? { ok: true, value: checked.value.choice }
      : checked
  }

  return { picked, scaleValue, word, check }
}
