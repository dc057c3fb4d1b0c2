import type { PollDefinition } from '../polls/types.ts'
import { pathToFileURL } from 'node:url'
import { polls as talkPolls } from '../snippets/polls.ts'

/** The polls a server runs: the talk's, or those of the module POLL_DEFINITIONS names (its `polls` export). */
export async function loadPolls(module: string | undefined): Promise<readonly PollDefinition[]> {
  if (!module)
    return talkPolls
  const loaded = await import(pathToFileURL(module).href) as { polls?: unknown }
  if (!Array.isArray(loaded.polls))
    throw new TypeError(`POLL_DEFINITIONS: ${module} exports no «polls» list.`)
  return loaded.polls as readonly PollDefinition[]
}
