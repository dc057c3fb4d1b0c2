// @vitest-environment node
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config.ts'
import { joinUrl } from '../../server/http.ts'
import { createRateLimiter } from '../../server/rate-limit.ts'

const dirs: string[] = []
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'poll-config-'))
  dirs.push(dir)
  return dir
}

afterEach(() => {
  for (const dir of dirs.splice(0))
    rmSync(dir, { recursive: true, force: true })
})

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const cwd = tempDir()
    const config = loadConfig({}, cwd)
    expect(config).toMatchObject({
      port: 3030,
      host: '127.0.0.1',
      dbFile: join(cwd, '.data/polls.sqlite'),
      snapshotFile: join(cwd, 'snippets/poll-results.json'),
      distDir: join(cwd, 'dist'),
      publicUrl: undefined,
      rateLimits: {
        windowMs: 10_000,
        perVoter: 10,
        perIp: 6000,
        newVotersPerAddress: 120,
        wrongTokensPerAddress: 10,
      },
      streamLimits: { perAddress: 8 },
      timeouts: { headersMs: 10_000, requestMs: 20_000 },
    })
  })

  it('generates a presenter token once, saves it beside the database readable only by the owner, and reuses it', () => {
    const cwd = tempDir()
    const first = loadConfig({ POLL_DB: 'data/polls.sqlite' }, cwd)
    expect(first.tokenSource).toBe('generated')
    expect(first.token.length).toBeGreaterThanOrEqual(20)
    const file = join(cwd, 'data/poll-token')
    expect(readFileSync(file, 'utf8').trim()).toBe(first.token)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const second = loadConfig({ POLL_DB: 'data/polls.sqlite' }, cwd)
    expect(second).toMatchObject({ token: first.token, tokenSource: 'file' })
  })

  it('prefers POLL_TOKEN and reads every variable', () => {
    const cwd = tempDir()
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      POLL_DB: '/tmp/x/polls.sqlite',
      POLL_TOKEN: 'hemmelig-nokkel-1234',
      POLL_SNAPSHOT: 'out/snap.json',
      PUBLIC_URL: 'https://poll.example.no',
      DIST_DIR: 'build',
      POLL_RATE_PER_IP: '0',
    }, cwd)
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dbFile: '/tmp/x/polls.sqlite',
      token: 'hemmelig-nokkel-1234',
      tokenSource: 'env',
      snapshotFile: join(cwd, 'out/snap.json'),
      publicUrl: 'https://poll.example.no',
      distDir: join(cwd, 'build'),
      rateLimits: { perIp: 0 },
    })
  })

  it('stops on a presenter token shorter than 16 characters, saying so', () => {
    expect(() => loadConfig({ POLL_TOKEN: 'kort-nokkel' }, tempDir())).toThrow(/POLL_TOKEN er for kort \(11 tegn\).*minst 16/)
  })

  it('pOLL_RATE_LIMITS=off switches every per-address limit off, and refuses other values', () => {
    const config = loadConfig({ POLL_TOKEN: 'hemmelig-nokkel-1234', POLL_RATE_LIMITS: 'off' }, tempDir())
    expect(config.rateLimits).toMatchObject({
      perVoter: 0,
      perIp: 0,
      newVotersPerAddress: 0,
      wrongTokensPerAddress: 0,
    })
    expect(config.streamLimits.perAddress).toBe(0)
    expect(config.streamLimits.total).toBeGreaterThan(0)
    expect(() => loadConfig({ POLL_TOKEN: 'hemmelig-nokkel-1234', POLL_RATE_LIMITS: 'av' }, tempDir())).toThrow(/POLL_RATE_LIMITS/)
  })

  it('refuses a port that is not a whole number in range', () => {
    expect(() => loadConfig({ PORT: 'abc', POLL_TOKEN: 'x-nokkel-1234567890' }, tempDir())).toThrow(/PORT/)
    expect(() => loadConfig({ PORT: '70000', POLL_TOKEN: 'x-nokkel-1234567890' }, tempDir())).toThrow(/PORT/)
  })
})

describe('rate limiter', () => {
  it('allows the limit per key and window, then refuses until the window passes', () => {
    let now = 0
    const limiter = createRateLimiter(2, 1000, () => now)
    expect([
      limiter.allow('a'),
      limiter.allow('a'),
      limiter.allow('a'),
      limiter.allow('b'),
    ]).toEqual([true, true, false, true])
    now = 400
    expect(limiter.retryAfter()).toBe(1)
    expect(limiter.allow('a')).toBe(false)
    now = 1000
    expect(limiter.allow('a')).toBe(true)
  })

  it('never refuses when the limit is 0', () => {
    const limiter = createRateLimiter(0, 1000)
    expect(Array.from({ length: 1000 }, () => limiter.allow('a')).every(Boolean)).toBe(true)
  })
})

describe('joinUrl', () => {
  it('prefers PUBLIC_URL', () => {
    expect(joinUrl({ publicUrl: 'https://stem.example.no/', host: '0.0.0.0', port: 3030 })).toBe('https://stem.example.no/v')
  })

  it('uses HOST and PORT when the server listens on one address', () => {
    expect(joinUrl({ host: '127.0.0.1', port: 3030 })).toBe('http://127.0.0.1:3030/v')
    expect(joinUrl({ host: 'localhost', port: 3031 })).toBe('http://localhost:3031/v')
    expect(joinUrl({ host: '::1', port: 3030 })).toBe('http://[::1]:3030/v')
  })

  it('uses this machine\'s LAN address when listening on every address', () => {
    for (const host of ['0.0.0.0', '::']) {
      const url = joinUrl({ host, port: 4040 })
      expect(url).toMatch(/^http:\/\/\d+\.\d+\.\d+\.\d+:4040\/v$/)
      expect(url).not.toContain('0.0.0.0')
    }
  })
})
