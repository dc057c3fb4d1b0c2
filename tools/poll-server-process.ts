/**
 * Starts the real poll server (`node server/main.ts`) as a child process on a free port, with its own temporary
 * database, snapshot file, token and (unless DIST_DIR is given) a tiny built deck. Shared by integration tests,
 * e2e tests and scripts/bench-polls.ts.
 */
import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'

export const PROJECT_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..')

export interface StartPollServerOptions {
  /** Extra environment; wins over the temporary defaults. */
  env?: Record<string, string>
  /**
   * Reuse a directory from an earlier start (its database, snapshot and deck) instead of a new one. A directory made
   * here is removed by the last server on it to stop; one made by the caller is the caller's to remove.
   */
  dir?: string
  /** Milliseconds to wait for the start message. */
  timeoutMs?: number
  /** Arguments after `server/main.ts`, as `npm start -- …` passes them (e.g. `--session`). */
  args?: string[]
}

export interface PollServer {
  url: string
  token: string
  pid: number
  /** Holds polls.sqlite, poll-results.json and dist/ unless the env pointed elsewhere. */
  dir: string
  dbFile: string
  snapshotFile: string
  /** Everything the process printed so far. */
  output: () => string
  /**
   * SIGTERM and wait for exit; removes the temporary directory unless `keepDir`, or while another server started on
   * it still runs (that one's stop removes it).
   */
  stop: (options?: { keepDir?: boolean }) => Promise<void>
  /** SIGKILL (no shutdown code runs) and wait for exit; keeps the directory for a restart. */
  kill: () => Promise<void>
}

function writeTinyDeck(distDir: string): void {
  mkdirSync(join(distDir, 'vote'), { recursive: true })
  writeFileSync(join(distDir, 'index.html'), '<!doctype html><html lang="nb"><title>Testdekk</title><p>Dekket</p></html>\n')
  writeFileSync(join(distDir, 'vote', 'index.html'), '<!doctype html><html lang="nb"><title>Stem</title><p>Stemmesiden</p></html>\n')
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve()
  return new Promise(resolve => child.once('exit', () => resolve()))
}

/**
 * The directories made here, each with the servers still running on it. A test that restarts a server on the same
 * directory stops the restarted one: without this, that directory stayed in the system's temporary folder.
 */
const madeDirs = new Map<string, Set<ChildProcess>>()

export async function startPollServer(options: StartPollServerOptions = {}): Promise<PollServer> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'poll-server-'))
  if (!options.dir)
    madeDirs.set(dir, new Set())
  const env: Record<string, string> = {
    ...process.env as Record<string, string>,
    PORT: '0',
    HOST: '127.0.0.1',
    POLL_DB: join(dir, 'polls.sqlite'),
    POLL_SNAPSHOT: join(dir, 'poll-results.json'),
    POLL_TOKEN: randomBytes(12).toString('hex'),
    DIST_DIR: join(dir, 'dist'),
    ...options.env,
  }
  if (!options.env?.DIST_DIR)
    writeTinyDeck(env.DIST_DIR!)

  const child = spawn(process.execPath, [
    'server/main.ts',
    ...options.args ?? [],
  ], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const runningOnDir = madeDirs.get(dir)
  runningOnDir?.add(child)
  child.once('exit', () => runningOnDir?.delete(child))
  let output = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => output += chunk)
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => output += chunk)

  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`The poll server did not start within ${options.timeoutMs ?? 15_000} ms:\n${output}`))
    }, options.timeoutMs ?? 15_000)
    const onData = () => {
      const match = output.match(/Presentasjon: (http:\/\/\S+?)\/?\n/)
      if (match) {
        clearTimeout(timer)
        child.stdout!.off('data', onData)
        resolveUrl(match[1]!)
      }
    }
    child.stdout!.on('data', onData)
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`The poll server exited (${code ?? signal}) before it started:\n${output}`))
    })
  }).catch(async (error: unknown) => {
    // Nobody else knows a directory made for this start: it goes with the server that never started.
    await exited(child)
    if (!options.dir) {
      rmSync(dir, { recursive: true, force: true })
      madeDirs.delete(dir)
    }
    throw error
  })

  return {
    url,
    token: env.POLL_TOKEN!,
    pid: child.pid!,
    dir,
    dbFile: env.POLL_DB!,
    snapshotFile: env.POLL_SNAPSHOT!,
    output: () => output,
    async stop({ keepDir = false } = {}) {
      child.kill('SIGTERM')
      await exited(child)
      if (!keepDir && runningOnDir?.size === 0) {
        rmSync(dir, { recursive: true, force: true })
        madeDirs.delete(dir)
      }
    },
    async kill() {
      child.kill('SIGKILL')
      await exited(child)
    },
  }
}
