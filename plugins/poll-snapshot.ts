import type { Plugin } from 'vite'
import { resolve } from 'node:path'
import process from 'node:process'

/**
 * The deck shows final poll results from the snapshot the poll server writes: POLL_SNAPSHOT when set (as for
 * the server), else snippets/poll-results.json.
 */
export function pollSnapshotPlugin(): Plugin {
  return {
    name: 'samskaping-poll-snapshot',
    enforce: 'pre',
    resolveId(source) {
      const snapshot = process.env.POLL_SNAPSHOT
      return snapshot && source.endsWith('/snippets/poll-results.json')
        ? resolve(snapshot)
        : null
    },
  }
}
