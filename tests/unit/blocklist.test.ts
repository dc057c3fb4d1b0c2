// @vitest-environment node
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createBlocklist, loadBlocklist, SHIPPED_BLOCKLIST } from '../../server/blocklist.ts'
import { loadConfig } from '../../server/config.ts'

const dir = mkdtempSync(join(tmpdir(), 'poll-blocklist-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('the shipped block list', () => {
  const shipped = loadBlocklist(SHIPPED_BLOCKLIST)

  it.each([
    'faen',
    'FAEN!',
    '  Fy   faen ',
    'møtene er faen meg bortkastet',
    'fucking meetings',
    'heil   Hitler!',
    'ja, sieg heil',
  ])('refuses «%s»', (text) => {
    expect(shipped.blocks(text)).toBe(true)
  })

  it.each([
    'møter uten mål',
    'kukeliku',
    'Scunthorpe',
    'pikkolo',
    'hitler-tiden er over',
    'heil og sæl',
    'dickens',
  ])('lets «%s» through: only whole words count', (text) => {
    expect(shipped.blocks(text)).toBe(false)
  })
})

describe('a block list of your own (POLL_BLOCKLIST)', () => {
  it('replaces the shipped one, one term per line, normalised as answers are, # for comments', () => {
    const file = join(dir, 'egen.txt')
    writeFileSync(file, '# vårt eget\n  Møte\u00ADHelvete \n\ndårlig kaffe\n')
    const own = loadBlocklist(loadConfig({
      POLL_BLOCKLIST: file,
      POLL_TOKEN: 'a'.repeat(16),
    }, dir).blocklistFile)
    expect(own.blocks('møtehelvete')).toBe(true)
    expect(own.blocks('Dårlig   kaffe igjen')).toBe(true)
    expect(own.blocks('kaffe')).toBe(false)
    expect(own.blocks('vårt eget')).toBe(false)
    expect(own.blocks('faen')).toBe(false)
  })

  it('is the shipped list unless set, and an empty one blocks nothing', () => {
    expect(loadConfig({
      POLL_TOKEN: 'a'.repeat(16),
    }, dir).blocklistFile).toBe(SHIPPED_BLOCKLIST)
    expect(createBlocklist([]).blocks('faen')).toBe(false)
  })

  it('stops the server at start when the file is missing', () => {
    expect(() => loadBlocklist(join(dir, 'finnes-ikke.txt'))).toThrow(/POLL_BLOCKLIST: kunne ikke lese .*finnes-ikke\.txt \(ENOENT\)/)
  })
})
