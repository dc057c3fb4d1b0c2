import type { ComputedRef, MaybeRefOrGetter } from 'vue'
import type { PollClient } from '../polls/client.ts'
import type { PollDefinition, PollStatus } from '../polls/types.ts'
import { computed, toValue } from 'vue'
import { sharedPollClient } from '../polls/client.ts'
import { snapshotStatus } from '../polls/snapshot.ts'
import { usePoll } from './usePoll.ts'

export interface PollView {
  status: ComputedRef<PollStatus>
  /** True once a poll server has answered: results are live and the join code leads somewhere. */
  live: ComputedRef<boolean>
  /** A live poll lost its server for now; the last results stay on screen. */
  reconnecting: ComputedRef<boolean>
  /** No server has answered and the last try failed (down, or this origin not allowed): saved results shown. */
  unreachable: ComputedRef<boolean>
}

/**
 * What a poll slide shows. Print and export always show the saved results, never a join code. Otherwise
 * the poll listens while `active`; until a server answers (or when none ever does, as on the static
 * hosted deck) it shows the saved results too, so there is never a spinner or an empty box.
 */
export function usePollView(
  poll: MaybeRefOrGetter<PollDefinition>,
  mode: { print: MaybeRefOrGetter<boolean>, active: MaybeRefOrGetter<boolean> },
  client: PollClient = sharedPollClient(),
): PollView {
  const listening = computed(() => !toValue(mode.print) && toValue(mode.active))
  const { status: liveStatus, connection } = usePoll(() => toValue(poll).id, listening, client)
  const live = computed(() => !toValue(mode.print) && liveStatus.value !== undefined)

  return {
    status: computed(() => live.value && liveStatus.value
      ? liveStatus.value
      : snapshotStatus(toValue(poll))),
    live,
    reconnecting: computed(() => live.value && connection.value === 'reconnecting'),
    unreachable: computed(() => !live.value && connection.value === 'unreachable'),
  }
}
