// @vitest-environment node
// @vitest-environment node
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSnapshotWriter } from '../../server/snapshot.ts'

let dir: string
let file: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'poll-snapshot-'))
  file = join(dir, 'results', 'poll-results.json')
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

function entry(total: number) {
  return {
    total,
    tallies: { ja: total },
    closedAt: '2026-11-23T20:00:00.000Z',
  }
}

describe('snapshot file', () => {
  it('creates the file with the closed poll\'s result', async () => {
    await createSnapshotWriter(file).record('valg', entry(3))
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      valg: entry(3),
    })
  })

  it('keeps other polls, replaces a poll\'s entry and removes it on reset', async () => {
    writeFileSync(join(dir, 'existing.json'), JSON.stringify({
      gammel: entry(9),
    }))
    const writer = createSnapshotWriter(join(dir, 'existing.json'))
    await writer.record('a', entry(1))
    await writer.record('a', entry(2))
    await writer.record('b', entry(5))
    await writer.record('a', null)
    expect(JSON.parse(readFileSync(join(dir, 'existing.json'), 'utf8'))).toEqual({
      b: entry(5),
      gammel: entry(9),
    })
  })

  it('applies simultaneous updates one after the other and leaves no temporary files', async () => {
    const writer = createSnapshotWriter(file)
    await Promise.all(Array.from({ length: 20 }, (_, index) => writer.record(`poll-${index}`, entry(index + 1))))
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')))).toHaveLength(20)
    expect(readdirSync(join(dir, 'results'))).toEqual(['poll-results.json'])
  })

  it('does not create a file just to remove a poll that is not in it', async () => {
    await createSnapshotWriter(file).record('a', null)
    expect(existsSync(file)).toBe(false)
  })
})
