// @vitest-environment node
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config.ts'

const cwd = mkdtempSync(join(tmpdir(), 'poll-store-config-'))
afterAll(() => rmSync(cwd, { recursive: true, force: true }))

const withStore = (value: string | undefined) => loadConfig({ POLL_TOKEN: 'hemmelig-nokkel-1234', POLL_STORE: value }, cwd)

describe('pOLL_STORE', () => {
  it('keeps SQLite when unset or blank', () => {
    expect(withStore(undefined).storeUrl).toBeUndefined()
    expect(withStore('  ').storeUrl).toBeUndefined()
    expect(withStore(undefined).dbFile).toBe(join(cwd, '.data/polls.sqlite'))
  })

  it('takes a redis:// or rediss:// URL with host, port and database', () => {
    expect(withStore('redis://127.0.0.1:6390/2').storeUrl).toBe('redis://127.0.0.1:6390/2')
    expect(withStore(' rediss://:hemmelig@redis.example:6380 ').storeUrl).toBe('rediss://:hemmelig@redis.example:6380')
  })

  it('refuses anything else with a message that says what to do', () => {
    expect(() => withStore('postgres://db/polls')).toThrow(/redis:\/\/.*POLL_DB/)
    expect(() => withStore('127.0.0.1:6379')).toThrow(/redis:\/\//)
    expect(() => withStore('not a url')).toThrow(/POLL_STORE must be a redis:\/\/ URL/)
  })
})
