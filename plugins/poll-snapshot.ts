import type { Plugin } from 'vite'
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import process from 'node:process'
import { parseSavedResults, pickSession } from '../polls/saved-results.ts'

/** The results file the poll server keeps: POLL_SNAPSHOT when set (as for the server), else snippets/poll-results.json. */
export function savedResultsFile(): string {
  return resolve(process.env.POLL_SNAPSHOT || 'snippets/poll-results.json')
}

/**
 * The results a build shows, as JSON text: the session POLL_SESSION names (its id or name), else the newest one,
 * alone, so a hosted deck carries only the presentation it is about. Fails naming the sessions there are when the
 * one asked for is not in the file.
 */
export function bakedResults(file = savedResultsFile(), wanted = process.env.POLL_SESSION): string {
  const results = parseSavedResults(existsSync(file)
    ? JSON.parse(readFileSync(file, 'utf8'))
    : {})
  const session = pickSession(results, wanted)
  if (wanted?.trim() && !session) {
    const known = results.sessions.map(saved => `${saved.id} «${saved.name}»`).join(', ') || 'ingen'
    throw new Error(`POLL_SESSION «${wanted}» finnes ikke i ${file}. Øktene der: ${known}.`)
  }
  return `${JSON.stringify({
    sessions: session
      ? [session]
      : [],
  }, null, 2)}\n`
}

/** The deck's `snippets/poll-results.json` is the one session the build shows (see bakedResults). */
export function pollSnapshotPlugin(): Plugin {
  return {
    name: 'samskaping-poll-snapshot',
    enforce: 'pre',
    load(id) {
      return id.endsWith('/snippets/poll-results.json')
        ? bakedResults()
        : null
    },
  }
}
