/**
 * A real redis-server (the Debian package) for tests and the benchmark: loopback only, a free port, a temporary
 * directory, and the durability the poll store relies on (AOF with an fsync before every answer, no RDB
 * snapshots). It can be killed and started again on the same port and directory, as a crashed Redis would be.
 */
import type { ChildProcess } from 'node:child_process'
import type { PollServer } from './poll-server-process.ts'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { freePort } from '../scripts/free-port.ts'
import { startPollServer } from './poll-server-process.ts'

export interface RedisServer {
  /** `redis://127.0.0.1:<port>` (add `/<db>` for another database). */
  url: string
  port: number
  /** Holds the append-only files. */
  dir: string
  pid: () => number | undefined
  output: () => string
  /** Starts it again on the same port and directory (after stop or kill). */
  start: () => Promise<void>
  /** SIGTERM: Redis flushes and exits. */
  stop: () => Promise<void>
  /** SIGKILL: nothing runs; only what is in the append-only file survives. */
  kill: () => Promise<void>
  /** Stops it and removes its directory. */
  remove: () => Promise<void>
}

const BINARY = existsSync('/usr/bin/redis-server')
  ? '/usr/bin/redis-server'
  : 'redis-server'

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve()
  return new Promise(resolve => child.once('exit', () => resolve()))
}

function launch(port: number, dir: string, log: (text: string) => void): Promise<ChildProcess> {
  const child = spawn(BINARY, [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--protected-mode',
    'yes',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    'always',
    '--save',
    '',
    '--daemonize',
    'no',
    '--logfile',
    '',
  ], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const onData = (chunk: string) => {
    output += chunk
    log(chunk)
  }
  child.stdout!.setEncoding('utf8').on('data', onData)
  child.stderr!.setEncoding('utf8').on('data', onData)
  // Never leave a Redis behind when the test process ends.
  const reap = () => child.kill('SIGKILL')
  process.once('exit', reap)
  child.once('exit', () => process.off('exit', reap))

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`redis-server did not start within 10 s:\n${output}`))
    }, 10_000)
    const check = () => {
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer)
        child.stdout!.off('data', check)
        resolve(child)
      }
    }
    child.stdout!.on('data', check)
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(new Error(`Could not run ${BINARY} (apt-get install redis-server): ${error.message}`))
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`redis-server exited (${code ?? signal}) before it was ready:\n${output}`))
    })
  })
}

export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'poll-redis-'))
  let output = ''
  const log = (text: string) => output += text
  let port = 0
  let child: ChildProcess | undefined
  // Another process may take the free port between the check and Redis binding it: try a few.
  for (let attempt = 1; !child; attempt++) {
    port = await freePort()
    try {
      child = await launch(port, dir, log)
    }
    catch (error) {
      if (attempt === 3 || !output.includes('Address already in use'))
        throw error
    }
  }

  const server: RedisServer = {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    pid: () => child?.pid,
    output: () => output,
    async start() {
      if (child && child.exitCode === null && child.signalCode === null)
        throw new Error('redis-server is still running')
      child = await launch(port, dir, log)
    },
    async stop() {
      if (!child)
        return
      child.kill('SIGTERM')
      await exited(child)
    },
    async kill() {
      if (!child)
        return
      child.kill('SIGKILL')
      await exited(child)
    },
    async remove() {
      await server.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
  return server
}

/** `count` poll servers sharing one Redis and one presenter token, rate limits lifted: a load-balanced setup. */
export async function startPollNodes(redis: RedisServer, count: number): Promise<PollServer[]> {
  const token = randomBytes(12).toString('hex')
  return Promise.all(Array.from({ length: count }, () => startPollServer({
    env: {
      POLL_STORE: `${redis.url}/0`,
      POLL_TOKEN: token,
      POLL_RATE_LIMITS: 'off',
    },
  })))
}
