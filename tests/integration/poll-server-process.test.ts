/**
 * The poll servers that tests and benchmarks start (tools/poll-server-process.ts) leave nothing in the system's
 * temporary folder: not after a restart on the same directory, and not after a server that never started.
 */
import type { PollServer, StartPollServerOptions } from '../../tools/poll-server-process.ts'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startPollServer } from '../../tools/poll-server-process.ts'

// A folder of this file's own as the temporary folder: other test files start servers at the same time.
const systemTemp = process.env.TMPDIR
let temp: string

beforeAll(() => {
  temp = mkdtempSync(join(tmpdir(), 'poll-server-process-'))
  process.env.TMPDIR = temp
})

// A failed check must not leave servers running: each server started here is stopped (again) after its test.
const started: PollServer[] = []
async function start(options?: StartPollServerOptions): Promise<PollServer> {
  const server = await startPollServer(options)
  started.push(server)
  return server
}

afterEach(async () => {
  for (const server of started.splice(0))
    await server.stop()
})

afterAll(() => {
  if (systemTemp === undefined)
    delete process.env.TMPDIR
  else
    process.env.TMPDIR = systemTemp
  rmSync(temp, { recursive: true, force: true })
})

/** What the servers left (Node may keep its compile cache in the same folder). */
const serverDirs = () => readdirSync(temp).filter(name => name.startsWith('poll-server-'))

describe('the test poll server', () => {
  it('removes its directory when the last server on it stops, a restart on it included', async () => {
    const first = await start()
    expect(first.dir.startsWith(temp)).toBe(true)
    await first.kill()
    const restarted = await start({ dir: first.dir })

    // Stopping the killed one must not pull the directory away from under the running one.
    await first.stop()
    expect(existsSync(restarted.dbFile)).toBe(true)

    await restarted.stop()
    expect(existsSync(first.dir)).toBe(false)
  })

  it('keeps the directory when asked to, and a directory the caller made', async () => {
    const kept = await start()
    await kept.stop({ keepDir: true })
    expect(existsSync(kept.dbFile)).toBe(true)

    const own = mkdtempSync(join(temp, 'own-'))
    const server = await start({ dir: own })
    await server.stop()
    expect(existsSync(join(own, 'polls.sqlite'))).toBe(true)

    rmSync(own, { recursive: true, force: true })
    await kept.stop()
    expect(existsSync(kept.dir)).toBe(false)
  })

  it('removes the directory it made for a server that never started', async () => {
    const before = serverDirs()
    await expect(start({
      env: { POLL_TOKEN: 'for-kort' },
    })).rejects.toThrow(/POLL_TOKEN er for kort/)
    expect(serverDirs()).toEqual(before)
  })
})
