import type { MaybeRefOrGetter, Ref } from 'vue'
import type { PollClient } from '../polls/client.ts'
import { ref, toValue, watchEffect } from 'vue'
import { sharedPollClient } from '../polls/client.ts'

/** Where phones go to vote (`GET /api/join`), asked for once a poll server has answered. */
export function useJoinUrl(serverAnswered: MaybeRefOrGetter<boolean>, client: PollClient = sharedPollClient()): Ref<string | undefined> {
  const url = ref<string>()
  watchEffect(() => {
    if (toValue(serverAnswered) && !url.value)
      void client.joinUrl().then(found => url.value = found)
  })
  return url
}
