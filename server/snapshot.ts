import type { PollSnapshot } from '../polls/types.ts'
import { mkdir, open, readFile, rename } from 'node:fs/promises'
import { dirname } from 'node:path'
import process from 'node:process'

type SnapshotEntry = PollSnapshot[string]

export interface SnapshotWriter {
  /** Sets a poll's final result, or removes it (`null`), and rewrites the file atomically. */
  record: (pollId: string, entry: SnapshotEntry | null) => Promise<void>
}

async function readSnapshot(file: string): Promise<PollSnapshot> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'))
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? parsed as PollSnapshot
      : {}
  }
  catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError)
      return {}
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

/** The snapshot file the build and the PDF export read (`PollSnapshot`); updates are applied one at a time. */
export function createSnapshotWriter(file: string): SnapshotWriter {
  let queue: Promise<void> = Promise.resolve()
  return {
    record(pollId, entry) {
      const update = queue.then(async () => {
        const snapshot = await readSnapshot(file)
        if (entry)
          snapshot[pollId] = entry
        else if (pollId in snapshot)
          delete snapshot[pollId]
        else
          return
        const sorted = Object.fromEntries(Object.entries(snapshot).sort(([a], [b]) => a.localeCompare(b)))
        await writeAtomically(file, `${JSON.stringify(sorted, null, 2)}\n`)
      })
      queue = update.catch(() => {})
      return update
    },
  }
}
