import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { afterAll, describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../../tools/poll-server-process.ts'
import { waitFor } from '../../tools/wait.ts'

const dir = mkdtempSync(join(tmpdir(), 'samskaping-interrupted-'))
const buildTmp = join(dir, 'tmp')
const outDir = join(dir, 'dist')

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('a build stopped by Ctrl-C or a kill', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('leaves nothing in the temporary directory on %s, and ends by that signal', async (signal) => {
    rmSync(buildTmp, { recursive: true, force: true })
    mkdirSync(buildTmp)
    const build = spawn(process.execPath, ['scripts/build.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, TMPDIR: buildTmp, OUT_DIR: outDir },
      // Its own process group, signalled as a terminal signals one: the build and the tools it started.
      detached: true,
      stdio: 'ignore',
    })
    const ended = new Promise<NodeJS.Signals | null>(resolve => build.once('exit', (_code, bySignal) => resolve(bySignal)))
    await waitFor(() => readdirSync(buildTmp).length > 0, 20_000)
    expect(readdirSync(buildTmp)).toHaveLength(1)

    process.kill(-build.pid!, signal)

    expect(await ended).toBe(signal)
    expect(readdirSync(buildTmp)).toEqual([])
  })
})
