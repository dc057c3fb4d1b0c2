import type { PollSnapshot, SavedResults, SavedSession } from '../polls/types.ts'
import type { SessionRecord } from './store/types.ts'
import { mkdir, open, readFile, rename } from 'node:fs/promises'
import { dirname } from 'node:path'
import process from 'node:process'
import { parseSavedResults } from '../polls/saved-results.ts'

type SnapshotEntry = PollSnapshot[string]

export interface SnapshotWriter {
  /** Sets a poll's final result in a session, or removes it (`null`), and rewrites the file atomically. */
  record: (session: SessionRecord, pollId: string, entry: SnapshotEntry | null) => Promise<void>
  /** Lists a new session (no results yet), so the file names every session the build may be asked for. */
  startSession: (session: SessionRecord) => Promise<void>
  forgetSession: (id: number) => Promise<void>
}

async function readSnapshot(file: string): Promise<SavedResults> {
  try {
    return parseSavedResults(JSON.parse(await readFile(file, 'utf8')))
  }
  catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError)
      return { sessions: [] }
    throw error
  }
}

/** Written beside the target and renamed over it, so a reader sees the old file or the new one, never half. */
async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  const temporary = `${file}.${process.pid}.tmp`
  const handle = await open(temporary, 'w')
  try {
    await handle.writeFile(text, 'utf8')
    await handle.sync()
  }
  finally {
    await handle.close()
  }
  await rename(temporary, file)
}

function savedSession(session: SessionRecord): SavedSession {
  return {
    id: session.id,
    name: session.name,
    startedAt: new Date(session.startedAt).toISOString(),
    polls: {},
  }
}

function sortedPolls(polls: PollSnapshot): PollSnapshot {
  return Object.fromEntries(Object.entries(polls).sort(([a], [b]) => a.localeCompare(b)))
}

/**
 * The results file the build and the PDF export read (SavedResults); updates are applied one at a time. A file from
 * before sessions is kept as the unnamed session 0 until it is rewritten with the session the server knows it as.
 */
export function createSnapshotWriter(file: string): SnapshotWriter {
  let queue: Promise<void> = Promise.resolve()

  /** Applies `change` to the file's content; `change` returns false when there is nothing to write. */
  function update(change: (results: SavedResults) => boolean): Promise<void> {
    const done = queue.then(async () => {
      const results = await readSnapshot(file)
      if (!change(results))
        return
      results.sessions.sort((a, b) => a.id - b.id)
      for (const session of results.sessions)
        session.polls = sortedPolls(session.polls)
      await writeAtomically(file, `${JSON.stringify(results, null, 2)}\n`)
    })
    queue = done.catch(() => {})
    return done
  }

  function sessionIn(results: SavedResults, session: SessionRecord): SavedSession {
    let saved = results.sessions.find(candidate => candidate.id === session.id)
    if (!saved) {
      saved = savedSession(session)
      results.sessions.push(saved)
    }
    return saved
  }

  return {
    record: (session, pollId, entry) => update((results) => {
      const known = results.sessions.find(candidate => candidate.id === session.id)
      if (!entry && !(known && pollId in known.polls))
        return false
      const saved = sessionIn(results, session)
      if (entry)
        saved.polls[pollId] = entry
      else
        delete saved.polls[pollId]
      return true
    }),
    startSession: session => update((results) => {
      sessionIn(results, session)
      return true
    }),
    forgetSession: id => update((results) => {
      const before = results.sessions.length
      results.sessions = results.sessions.filter(session => session.id !== id)
      return results.sessions.length !== before
    }),
  }
}
