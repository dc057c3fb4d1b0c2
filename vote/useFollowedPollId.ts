import type { Ref } from 'vue'
import type { Connection } from '../polls/client.ts'
import { onScopeDispose, ref } from 'vue'
import { sharedPollClient } from '../polls/client.ts'

/**
 * Follows the presenter: the poll that is open now. When it closes the page stays on it (to show it
 * closed, and a quiz's answer when revealed) until the next one opens.
 */
export function useFollowedPollId(): { pollId: Ref<string | undefined>, connection: Ref<Connection> } {
  const pollId = ref<string>()
  const connection = ref<Connection>('connecting')
  const stop = sharedPollClient().watchCurrent((update) => {
    connection.value = update.connection
    if (update.data?.id)
      pollId.value = update.data.id
  })
  onScopeDispose(stop)
  return { pollId, connection }
}
