import type { StreamLimits } from './limits.ts'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import process from 'node:process'
import { SHIPPED_BLOCKLIST } from './blocklist.ts'
import { parseTrustedProxies } from './trusted-proxies.ts'

export interface RateLimits {
  windowMs: number
  /** Votes per voter id per window; 0 = no limit. */
  perVoter: number
  /** Votes per client IP per window (a whole venue may share one NAT address); 0 = no limit. */
  perIp: number
  /** New voter ids one client address may bring per minute (re-votes are free); 0 = no limit. */
  newVotersPerAddress: number
  /** Wrong presenter tokens one address may send per window; 0 = no limit. */
  wrongTokensPerAddress: number
  /** An idea wall takes one idea per voter per this many milliseconds; 0 = no limit. */
  ideaIntervalMs: number
}

/** Slow clients are dropped: a request's headers, and all of it with its body, must arrive within these. */
export interface Timeouts {
  headersMs: number
  requestMs: number
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
  streamLimits: StreamLimits
  timeouts: Timeouts
  /** POLL_DEFINITIONS: a module exporting `polls` to run instead of the talk's (tests use fixture polls). */
  pollDefinitions: string | undefined
  /** POLL_ALLOWED_ORIGINS: the origins of decks hosted elsewhere that may call this server (CORS). */
  allowedOrigins: string[]
  /** TRUST_PROXY: addresses or CIDRs of proxies whose X-Forwarded-For is believed. */
  trustProxy: string[]
  /** POLL_HEARTBEAT_MS: a comment on every event stream this often, below the read timeouts of proxies. */
  heartbeatMs: number
  /** POLL_WORDS_MAX: the most different answers a free-text poll takes in a session (beyond: 409). */
  maxAnswers: number
  /** POLL_BLOCKLIST: words and phrases refused in typed answers, one per line; default server/blocklist.txt. */
  blocklistFile: string
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

/** A shorter presenter token can be guessed by a room of phones. */
export const MIN_TOKEN_LENGTH = 16

/** File descriptors kept free of event streams: page loads, votes, the database and logs need some too. */
const FD_RESERVE = 256

/** The soft limit on open files (Linux), or undefined where it cannot be read. */
function openFileLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find(row => row.startsWith('Max open files'))
    const soft = Number(line?.split(/\s{2,}/)[1])
    return Number.isInteger(soft) && soft > 0
      ? soft
      : undefined
  }
  catch {
    return undefined
  }
}

function defaultStreamTotal(): number {
  const fds = openFileLimit() ?? 1024
  return Math.max(64, Math.min(20_000, fds - Math.max(FD_RESERVE, Math.ceil(fds / 10))))
}

/** POLL_TOKEN, else the token saved beside the database, else a new random one saved there (mode 0600). */
function presenterToken(env: Env, dbFile: string): Pick<PollServerConfig, 'token' | 'tokenSource'> {
  const fromEnv = env.POLL_TOKEN?.trim()
  if (fromEnv) {
    if (fromEnv.length < MIN_TOKEN_LENGTH)
      throw new Error(`POLL_TOKEN er for kort (${fromEnv.length} tegn): bruk minst ${MIN_TOKEN_LENGTH} tilfeldige tegn, eller la den være tom så lages en.`)
    return { token: fromEnv, tokenSource: 'env' }
  }
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

function list(env: Env, name: string): string[] {
  return (env[name] ?? '').split(',').map(item => item.trim()).filter(Boolean)
}

/** Each entry must be an origin exactly as a browser sends it (`https://deck.example.org`, no path). */
function origins(env: Env): string[] {
  return list(env, 'POLL_ALLOWED_ORIGINS').map((raw) => {
    let origin: string | undefined
    try {
      origin = new URL(raw).origin
    }
    catch {}
    if (!origin || origin === 'null' || origin !== raw.replace(/\/$/, ''))
      throw new Error(`POLL_ALLOWED_ORIGINS takes origins such as https://deck.example.org (scheme, host, port; no path), got «${raw}».`)
    return origin
  })
}

function trustedProxyList(env: Env): string[] {
  const entries = list(env, 'TRUST_PROXY')
  parseTrustedProxies(entries) // fails at start on a typo, not on the first request
  return entries
}

function publicUrl(env: Env): string | undefined {
  const raw = env.PUBLIC_URL?.trim()
  if (!raw)
    return undefined
  let url: URL | undefined
  try {
    url = new URL(raw)
  }
  catch {}
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:')
    throw new Error(`PUBLIC_URL must be an http:// or https:// address, got «${raw}».`)
  return raw.replace(/\/+$/, '')
}

/** POLL_RATE_LIMITS=off: every per-address limit off, for load tests that run many clients from one machine. */
function rateLimitsOff(env: Env): Env {
  const value = env.POLL_RATE_LIMITS?.trim().toLowerCase()
  if (!value || value === 'on')
    return env
  if (value !== 'off')
    throw new Error(`POLL_RATE_LIMITS must be «on» or «off», got «${env.POLL_RATE_LIMITS}».`)
  return {
    ...env,
    POLL_RATE_PER_VOTER: '0',
    POLL_RATE_PER_IP: '0',
    POLL_RATE_NEW_VOTERS: '0',
    POLL_RATE_WRONG_TOKENS: '0',
    POLL_RATE_STREAMS: '0',
    POLL_RATE_IDEA_MS: '0',
  }
}

export function loadConfig(givenEnv: Env = process.env, cwd = process.cwd()): PollServerConfig {
  const env = rateLimitsOff(givenEnv)
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
    publicUrl: publicUrl(env),
    distDir: resolve(cwd, env.DIST_DIR?.trim() || 'dist'),
    rateLimits: {
      windowMs: whole(env, 'POLL_RATE_WINDOW_MS', 10_000) || 10_000,
      perVoter: whole(env, 'POLL_RATE_PER_VOTER', 10),
      perIp: whole(env, 'POLL_RATE_PER_IP', 6000),
      newVotersPerAddress: whole(env, 'POLL_RATE_NEW_VOTERS', 120),
      wrongTokensPerAddress: whole(env, 'POLL_RATE_WRONG_TOKENS', 10),
      ideaIntervalMs: whole(env, 'POLL_RATE_IDEA_MS', 30_000),
    },
    streamLimits: {
      perAddress: whole(env, 'POLL_RATE_STREAMS', 8),
      total: whole(env, 'POLL_STREAMS_MAX', defaultStreamTotal()),
    },
    timeouts: {
      headersMs: whole(env, 'POLL_HEADERS_TIMEOUT_MS', 10_000) || 10_000,
      requestMs: whole(env, 'POLL_REQUEST_TIMEOUT_MS', 20_000) || 20_000,
    },
    pollDefinitions: env.POLL_DEFINITIONS?.trim()
      ? resolve(cwd, env.POLL_DEFINITIONS.trim())
      : undefined,
    allowedOrigins: origins(env),
    trustProxy: trustedProxyList(env),
    heartbeatMs: whole(env, 'POLL_HEARTBEAT_MS', 15_000) || 15_000,
    maxAnswers: whole(env, 'POLL_WORDS_MAX', 5000) || 5000,
    blocklistFile: env.POLL_BLOCKLIST?.trim()
      ? resolve(cwd, env.POLL_BLOCKLIST.trim())
      : SHIPPED_BLOCKLIST,
  }
}
