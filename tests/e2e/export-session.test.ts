import type { SavedResults } from '../../polls/types.ts'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { afterAll, describe, expect, it } from 'vitest'

// Two presentations' results in one file, as the poll server keeps them; organizers export the one they ran.
const dir = mkdtempSync(join(tmpdir(), 'samskaping-export-session-'))
const results: SavedResults = {
  sessions: [
    {
      id: 1,
      name: 'Arendalsuka 2027',
      startedAt: '2027-08-14T09:00:00.000Z',
      polls: {
        forstyrret: {
          total: 7,
          tallies: { ja: 5, delvis: 2, nei: 0 },
          closedAt: '2027-08-14T10:00:00.000Z',
        },
      },
    },
    {
      id: 2,
      name: 'Kommuneseminar i Skien',
      startedAt: '2027-09-02T08:00:00.000Z',
      polls: {
        forstyrret: {
          total: 3,
          tallies: { ja: 0, delvis: 1, nei: 2 },
          closedAt: '2027-09-02T09:00:00.000Z',
        },
      },
    },
  ],
}
const resultsFile = join(dir, 'poll-results.json')
writeFileSync(resultsFile, JSON.stringify(results))

function exportHandout(session?: string) {
  return spawnSync(process.execPath, [
    'scripts/export.ts',
    ...session === undefined
      ? []
      : ['--session', session],
  ], {
    env: {
      ...process.env,
      POLL_SNAPSHOT: resultsFile,
      DIST_DIR: join(dir, 'dist'),
      EXPORT_DIR: join(dir, 'exports'),
      EXPORT_FORMATS: 'handout',
    },
    encoding: 'utf8',
    timeout: 300_000,
  })
}

function handoutText(): string {
  return execFileSync('pdftotext', [
    join(dir, 'exports', 'partnerskap-for-inkludering-utdelingsark.pdf'),
    '-',
  ], { encoding: 'utf8' }).replace(/\s+/g, ' ')
}

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('the handout of one session', () => {
  it('names the session asked for on its first page and shows that session\'s numbers', () => {
    const run = exportHandout('Arendalsuka 2027')
    expect(run.status, run.stdout + run.stderr).toBe(0)
    const text = handoutText()
    expect(text.slice(0, 400)).toContain('Resultater fra Arendalsuka 2027, 14. august 2027')
    expect(text).toContain('Endelig resultat · 7 stemmer Ja 5 · 71 %')
    expect(text).not.toContain('Kommuneseminar')
  }, 300_000)

  it('stops before building when the session is not in the file, naming the ones that are', () => {
    const run = exportHandout('Oslo 2028')
    expect(run.status).not.toBe(0)
    expect(run.stderr).toContain('POLL_SESSION «Oslo 2028» finnes ikke')
    expect(run.stderr).toContain('1 «Arendalsuka 2027», 2 «Kommuneseminar i Skien»')
    expect(run.stdout + run.stderr).not.toContain('Bygger')
  })
})
