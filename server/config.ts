import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import process from 'node:process'

export interface RateLimits {
  windowMs: number
  /** Votes per voter id per window; 0 = no limit. */
  perVoter: number
  /** Votes per client IP per window (a whole venue may share one NAT address); 0 = no limit. */
  perIp: number
}

export interface PollServerConfig {
  port: number
  host: string
  dbFile: string
  /** POLL_STORE: a `redis://` URL shared by several poll servers; unset = the SQLite file `dbFile`. */
  storeUrl: string | undefined
  token: string
  /** Where the token came from, so the start message can say so. */
  tokenSource: 'env' | 'file' | 'generated'
  snapshotFile: string
  publicUrl: string | undefined
  distDir: string
  rateLimits: RateLimits
  /** POLL_DEFINITIONS: a module exporting `polls` to run instead of the talk's (tests use fixture polls). */
  pollDefinitions: string | undefined
}

type Env = Record<string, string | undefined>

function whole(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim()
  if (!raw)
    return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a whole number ≥ 0, got «${raw}».`)
  return value
}

/** POLL_TOKEN, else the token saved beside the database, else a new random one saved there (mode 0600). */
function presenterToken(env: Env, dbFile: string): Pick<PollServerConfig, 'token' | 'tokenSource'> {
  const fromEnv = env.POLL_TOKEN?.trim()
  if (fromEnv)
    return { token: fromEnv, tokenSource: 'env' }
  const file = join(dirname(dbFile), 'poll-token')
  if (existsSync(file)) {
    const saved = readFileSync(file, 'utf8').trim()
    if (saved)
      return { token: saved, tokenSource: 'file' }
  }
  const token = randomBytes(18).toString('base64url')
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, `${token}\n`, { mode: 0o600 })
  return { token, tokenSource: 'generated' }
}

function redisUrl(env: Env): string | undefined {
  const raw = env.POLL_STORE?.trim()
  if (!raw)
    return undefined
  let url: URL
  try {
    url = new URL(raw)
  }
  catch {
    throw new Error(`POLL_STORE must be a redis:// URL, got «${raw}».`)
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw new Error(`POLL_STORE must be a redis:// or rediss:// URL, got «${raw}». Leave it unset to use SQLite (POLL_DB).`)
  return raw
}

export function loadConfig(env: Env = process.env, cwd = process.cwd()): PollServerConfig {
  const dbFile = resolve(cwd, env.POLL_DB?.trim() || '.data/polls.sqlite')
  const port = whole(env, 'PORT', 3030)
  if (port > 65535)
    throw new Error(`PORT must be at most 65535, got ${port}.`)
  return {
    port,
    host: env.HOST?.trim() || '127.0.0.1',
    dbFile,
    storeUrl: redisUrl(env),
    ...presenterToken(env, dbFile),
    snapshotFile: resolve(cwd, env.POLL_SNAPSHOT?.trim() || 'snippets/poll-results.json'),
    publicUrl: env.PUBLIC_URL?.trim() || undefined,
    distDir: resolve(cwd, env.DIST_DIR?.trim() || 'dist'),
    rateLimits: {
      windowMs: whole(env, 'POLL_RATE_WINDOW_MS', 10_000) || 10_000,
      perVoter: whole(env, 'POLL_RATE_PER_VOTER', 10),
      perIp: whole(env, 'POLL_RATE_PER_IP', 6000),
    },
    pollDefinitions: env.POLL_DEFINITIONS?.trim()
      ? resolve(cwd, env.POLL_DEFINITIONS.trim())
      : undefined,
  }
}
