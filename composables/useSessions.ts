import type { ComputedRef, MaybeRefOrGetter, Ref, ShallowRef } from 'vue'
import type { ApiResult, PollClient } from '../polls/client.ts'
import type { SessionSummary } from '../polls/types.ts'
import { computed, ref, shallowRef, toValue } from 'vue'
import { problemText, sharedPollClient } from '../polls/client.ts'
import { usePresenterToken } from './usePresenterToken.ts'

export interface Sessions {
  /** Oldest first, as the server lists them. */
  sessions: ShallowRef<SessionSummary[]>
  current: ComputedRef<SessionSummary | undefined>
  /** What went wrong with the last request, in Norwegian; undefined when it went well. */
  problem: Ref<string | undefined>
  /** The server refused the token (401). */
  rejected: Ref<boolean>
  refresh: () => Promise<void>
  /** Starts a session that becomes current; resolves true once the server has it. */
  start: (name: string) => Promise<boolean>
  remove: (id: number) => Promise<boolean>
}

let shared: Sessions | undefined

/**
 * The poll server's sessions, for the presenter (every request carries the presenter's token). One list per page:
 * a session started from one slide's dialog is the current one on every slide.
 */
export function useSessions(): Sessions {
  shared ??= createSessions(usePresenterToken().token, sharedPollClient())
  return shared
}

function createSessions(token: MaybeRefOrGetter<string | undefined>, client: PollClient): Sessions {
  const sessions = shallowRef<SessionSummary[]>([])
  const problem = ref<string>()
  const rejected = ref(false)

  async function request(call: (token: string) => Promise<ApiResult>): Promise<ApiResult | undefined> {
    const given = toValue(token)
    if (!given)
      return undefined
    const result = await call(given)
    rejected.value = result.status === 401
    problem.value = result.ok
      ? undefined
      : problemText(result)
    return result
  }

  async function refresh(): Promise<void> {
    const result = await request(given => client.sessions(given))
    if (result?.ok)
      sessions.value = result.body as SessionSummary[]
  }

  return {
    sessions,
    current: computed(() => sessions.value.find(session => session.current)),
    problem,
    rejected,
    refresh,
    async start(name) {
      const result = await request(given => client.startSession(name, given))
      if (result?.ok)
        await refresh()
      return result?.ok ?? false
    },
    async remove(id) {
      const result = await request(given => client.deleteSession(id, given))
      if (result?.ok)
        await refresh()
      return result?.ok ?? false
    },
  }
}
