import type { Ref, ShallowRef } from 'vue'
import type { Connection } from '../polls/client.ts'
import type { PollStatus } from '../polls/types.ts'
import { onScopeDispose, ref, shallowRef } from 'vue'
import { sharedPollClient } from '../polls/client.ts'

/**
 * Follows the presenter over one stream: the poll that is open now and its status. When it closes the page
 * stays on it (to show it closed, and a quiz's answer when revealed) until the next one opens.
 */
export function useFollowedPoll(): { pollId: Ref<string | undefined>, status: ShallowRef<PollStatus | undefined>, connection: Ref<Connection> } {
  const pollId = ref<string>()
  const status = shallowRef<PollStatus>()
  const connection = ref<Connection>('connecting')
  const stop = sharedPollClient().watchFollowed((update) => {
    connection.value = update.connection
    if (update.data?.id) {
      pollId.value = update.data.id
      status.value = update.data.status
    }
  })
  onScopeDispose(stop)
  return { pollId, status, connection }
}
