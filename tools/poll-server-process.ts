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
  /** Reuse a directory from an earlier start (its database, snapshot and deck) instead of a new one. */
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
  /** SIGTERM and wait for exit; removes the temporary directory unless `keepDir`. */
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

export async function startPollServer(options: StartPollServerOptions = {}): Promise<PollServer> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'poll-server-'))
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
      if (!keepDir && !options.dir)
        rmSync(dir, { recursive: true, force: true })
    },
    async kill() {
      child.kill('SIGKILL')
      await exited(child)
    },
  }
}
