/**
 * Caddy (the Debian package) as the TLS proxy of deploy/: the very Caddyfile compose.yaml ships, with its
 * settings given as environment (site https://127.0.0.1:<port>, so Caddy's local CA signs the certificate
 * offline; the poll servers to balance; a proxy read timeout), bound to loopback, in a temporary directory.
 */
import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { freePort, portAccepts } from '../scripts/free-port.ts'
import { PROJECT_ROOT } from './poll-server-process.ts'

export const SHIPPED_CADDYFILE = join(PROJECT_ROOT, 'deploy', 'Caddyfile')

export interface CaddyOptions {
  /** host:port of each poll server. */
  upstreams: readonly string[]
  /** Caddy's read timeout towards the poll servers, e.g. `2s`. */
  readTimeout?: string
  /** How often Caddy asks each node's /readyz, e.g. `500ms`. */
  healthInterval?: string
  /** The HTTPS port, when the poll servers must know their public address (PUBLIC_URL) before Caddy starts. */
  httpsPort?: number
}

export interface CaddyProxy {
  /** `https://127.0.0.1:<port>` */
  url: string
  /** The local CA's root certificate (PEM) that signed the proxy's certificate: trust it to connect. */
  ca: string
  output: () => string
  stop: () => Promise<void>
}

const BINARY = existsSync('/usr/bin/caddy')
  ? '/usr/bin/caddy'
  : 'caddy'

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve()
  return new Promise(resolve => child.once('exit', () => resolve()))
}

export async function startCaddy(options: CaddyOptions): Promise<CaddyProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'poll-caddy-'))
  const [httpsPort, httpPort] = [options.httpsPort ?? await freePort(), await freePort()]
  const child = spawn(BINARY, [
    'run',
    '--config',
    SHIPPED_CADDYFILE,
    '--adapter',
    'caddyfile',
  ], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      // Caddy keeps its CA and certificates under these; a temporary one per proxy.
      HOME: dir,
      XDG_DATA_HOME: join(dir, 'data'),
      XDG_CONFIG_HOME: join(dir, 'config'),
      POLL_DOMAIN: `https://127.0.0.1:${httpsPort}`,
      POLL_UPSTREAMS: options.upstreams.join(' '),
      POLL_PROXY_READ_TIMEOUT: options.readTimeout ?? '60s',
      POLL_HEALTH_INTERVAL: options.healthInterval ?? '500ms',
      CADDY_BIND: '127.0.0.1',
      CADDY_HTTP_PORT: String(httpPort),
      CADDY_HTTPS_PORT: String(httpsPort),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => output += chunk)
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => output += chunk)
  const reap = () => child.kill('SIGKILL')
  process.once('exit', reap)
  child.once('exit', () => process.off('exit', reap))

  const rootCa = join(dir, 'data', 'caddy', 'pki', 'authorities', 'local', 'root.crt')
  const deadline = Date.now() + 15_000
  let failure: string | undefined
  child.once('error', error => failure = `Could not run ${BINARY} (apt-get install caddy): ${error.message}`)
  child.once('exit', code => failure ??= `caddy exited (${code}) before it was ready:\n${output}`)
  while (!(existsSync(rootCa) && output.includes('serving initial configuration') && await portAccepts(httpsPort))) {
    if (failure || Date.now() > deadline) {
      child.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
      throw new Error(failure ?? `caddy did not start within 15 s:\n${output}`)
    }
    await new Promise(resolve => setTimeout(resolve, 50))
  }

  return {
    url: `https://127.0.0.1:${httpsPort}`,
    ca: readFileSync(rootCa, 'utf8'),
    output: () => output,
    async stop() {
      child.kill('SIGTERM')
      await exited(child)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
