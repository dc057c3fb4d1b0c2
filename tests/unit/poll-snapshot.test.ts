// @vitest-environment node
import type { SessionRecord } from '../../server/store/types.ts'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { bakedResults } from '../../plugins/poll-snapshot.ts'
import { parseSavedResults, pickSession } from '../../polls/saved-results.ts'
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

const arendal: SessionRecord = {
  id: 2,
  name: 'Arendalsuka 2027',
  startedAt: Date.parse('2027-08-14T09:00:00.000Z'),
}
const seminar: SessionRecord = {
  id: 3,
  name: 'Kommuneseminar',
  startedAt: Date.parse('2027-09-01T09:00:00.000Z'),
}

function read(path = file): unknown {
  return JSON.parse(readFileSync(path, 'utf8'))
}

describe('saved results file', () => {
  it('creates the file with the closed poll\'s result in its session', async () => {
    await createSnapshotWriter(file).record(arendal, 'valg', entry(3))
    expect(read()).toEqual({
      sessions: [
        {
          id: 2,
          name: 'Arendalsuka 2027',
          startedAt: '2027-08-14T09:00:00.000Z',
          polls: {
            valg: entry(3),
          },
        },
      ],
    })
  })

  it('keeps sessions apart: a poll\'s entry is replaced and removed in its own session only', async () => {
    const writer = createSnapshotWriter(file)
    await writer.record(arendal, 'a', entry(1))
    await writer.startSession(seminar)
    await writer.record(seminar, 'a', entry(2))
    await writer.record(seminar, 'b', entry(5))
    await writer.record(seminar, 'a', null)
    expect(read()).toEqual({
      sessions: [
        {
          id: 2,
          name: 'Arendalsuka 2027',
          startedAt: '2027-08-14T09:00:00.000Z',
          polls: {
            a: entry(1),
          },
        },
        {
          id: 3,
          name: 'Kommuneseminar',
          startedAt: '2027-09-01T09:00:00.000Z',
          polls: {
            b: entry(5),
          },
        },
      ],
    })
    await writer.forgetSession(2)
    expect((read() as { sessions: unknown[] }).sessions).toHaveLength(1)
  })

  it('reads a file from before sessions as one unnamed session, and keeps it when writing', async () => {
    writeFileSync(join(dir, 'old.json'), JSON.stringify({
      gammel: entry(9),
    }))
    await createSnapshotWriter(join(dir, 'old.json')).record(arendal, 'a', entry(1))
    expect(read(join(dir, 'old.json'))).toEqual({
      sessions: [
        {
          id: 0,
          name: '',
          startedAt: '',
          polls: {
            gammel: entry(9),
          },
        },
        {
          id: 2,
          name: 'Arendalsuka 2027',
          startedAt: '2027-08-14T09:00:00.000Z',
          polls: {
            a: entry(1),
          },
        },
      ],
    })
  })

  it('applies simultaneous updates one after the other and leaves no temporary files', async () => {
    const writer = createSnapshotWriter(file)
    await Promise.all(Array.from({ length: 20 }, (_, index) => writer.record(arendal, `poll-${index}`, entry(index + 1))))
    expect(Object.keys((read() as { sessions: { polls: object }[] }).sessions[0]!.polls)).toHaveLength(20)
    expect(readdirSync(join(dir, 'results'))).toEqual(['poll-results.json'])
  })

  it('does not create a file just to remove a poll that is not in it', async () => {
    await createSnapshotWriter(file).record(arendal, 'a', null)
    expect(existsSync(file)).toBe(false)
  })
})

describe('picking the session a build shows', () => {
  const results = parseSavedResults({
    sessions: [
      {
        id: 2,
        name: 'Arendalsuka 2027',
        startedAt: '2027-08-14T09:00:00.000Z',
        polls: {
          a: entry(1),
        },
      },
      {
        id: 3,
        name: 'Kommuneseminar',
        startedAt: '2027-09-01T09:00:00.000Z',
        polls: {},
      },
    ],
  })

  it('takes the newest session unless asked for one by id or by name', () => {
    expect(pickSession(results)?.id).toBe(3)
    expect(pickSession(results, '2')?.name).toBe('Arendalsuka 2027')
    expect(pickSession(results, 'arendalsuka 2027')?.id).toBe(2)
    expect(pickSession(results, 'Ukjent')).toBeUndefined()
  })

  it('has no session in an empty file or in one from before the first vote', () => {
    expect(pickSession(parseSavedResults({}))).toBeUndefined()
    expect(pickSession(parseSavedResults(null))).toBeUndefined()
  })
})

describe('the results a build bakes in', () => {
  it('is the newest session alone, or the one POLL_SESSION names, and stops on one that is not there', () => {
    const saved = join(dir, 'saved.json')
    writeFileSync(saved, JSON.stringify({
      sessions: [
        {
          id: 2,
          name: 'Arendalsuka 2027',
          startedAt: '2027-08-14T09:00:00.000Z',
          polls: {
            a: entry(1),
          },
        },
        {
          id: 3,
          name: 'Kommuneseminar',
          startedAt: '2027-09-01T09:00:00.000Z',
          polls: {
            a: entry(4),
          },
        },
      ],
    }))
    expect(JSON.parse(bakedResults(saved, undefined))).toEqual({
      sessions: [
        {
          id: 3,
          name: 'Kommuneseminar',
          startedAt: '2027-09-01T09:00:00.000Z',
          polls: {
            a: entry(4),
          },
        },
      ],
    })
    expect(JSON.parse(bakedResults(saved, 'Arendalsuka 2027')).sessions.map((session: { id: number }) => session.id)).toEqual([2])
    expect(() => bakedResults(saved, '9')).toThrow('POLL_SESSION «9» finnes ikke i')
    expect(JSON.parse(bakedResults(join(dir, 'missing.json'), undefined))).toEqual({ sessions: [] })
  })
})
