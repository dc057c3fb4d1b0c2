import type { MaybeRefOrGetter, Ref, ShallowRef } from 'vue'
import type { Connection, PollClient } from '../polls/client.ts'
import type { Pace, PollStatus } from '../polls/types.ts'
import { ref, shallowRef, toValue, watchEffect } from 'vue'
import { sharedPollClient } from '../polls/client.ts'

export interface LivePoll {
  /** The server's latest word on the poll; undefined until it has answered once. */
  status: ShallowRef<PollStatus | undefined>
  /** `idle` while not listening (`enabled` false). */
  connection: Ref<Connection | 'idle'>
}

/**
 * Follows one poll over the page's shared stream while `enabled` is true (e.g. while its slide is the
 * one shown), so a deck with many polls holds only the streams it needs open. A phone asks for `pace: 'phone'`.
 */
export function usePoll(
  id: MaybeRefOrGetter<string>,
  enabled: MaybeRefOrGetter<boolean> = true,
  client: PollClient = sharedPollClient(),
  pace: Pace = 'fast',
): LivePoll {
  const status = shallowRef<PollStatus>()
  const connection = ref<Connection | 'idle'>('idle')

  watchEffect((onCleanup) => {
    const pollId = toValue(id)
    if (!toValue(enabled)) {
      status.value = client.peekPoll(pollId) ?? (status.value?.id === pollId
        ? status.value
        : undefined)
      connection.value = 'idle'
      return
    }
    onCleanup(client.watchPoll(pollId, (update) => {
      status.value = update.data
      connection.value = update.connection
    }, pace))
  })

  return { status, connection }
}
