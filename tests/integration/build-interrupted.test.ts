import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { afterAll, describe, expect, it } from 'vitest'
import { PROJECT_ROOT } from '../../tools/poll-server-process.ts'
import { waitFor } from '../../tools/wait.ts'

const dir = mkdtempSync(join(tmpdir(), 'samskaping-interrupted-'))
const buildTmp = join(dir, 'tmp')
const outDir = join(dir, 'dist')

const groups: number[] = []

/**
 * Whether any process of the group is still running (a build, or a tool it started). Read from /proc, as `kill(-group,
 * 0)` also counts the dead that no one has reaped yet.
 */
function groupAlive(group: number): boolean {
  return readdirSync('/proc').filter(name => /^\d+$/.test(name)).some((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const [state, , processGroup] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      return Number(processGroup) === group && state !== 'Z'
    }
    catch {
      return false // it ended while the list was read
    }
  })
}

afterAll(() => {
  // A build left running after a failed case would go on building beside the other tests.
  for (const group of groups.filter(groupAlive))
    process.kill(-group, 'SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

describe('a build stopped by Ctrl-C or a kill', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('on %s fails, and leaves no tool running and nothing in the temporary directory', async (signal) => {
    rmSync(buildTmp, { recursive: true, force: true })
    mkdirSync(buildTmp)
    const build = spawn(process.execPath, ['scripts/build.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, TMPDIR: buildTmp, OUT_DIR: outDir },
      // Its own process group, signalled as a terminal signals one: the build and the tools it started.
      detached: true,
      stdio: 'ignore',
    })
    groups.push(build.pid!)
    const ended = new Promise<string>(resolve => build.once('exit', (code, bySignal) => resolve(bySignal ?? `exit ${code}`)))
    await waitFor(() => readdirSync(buildTmp).length > 0, 20_000)
    expect(readdirSync(buildTmp)).toHaveLength(1)

    process.kill(-build.pid!, signal)

    // Ended by the signal, or, when the tool it ran was ended by it first, failing as that tool did.
    expect([signal, 'exit 1']).toContain(await ended)
    // A tool started just after the signal came did not get it from the terminal's kill.
    expect(await waitFor(() => !groupAlive(build.pid!), 5_000)).toBe(true)
    expect(readdirSync(buildTmp)).toEqual([])
  })
})
