// @vitest-environment node
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadPolls } from '../../server/poll-definitions.ts'

const dir = mkdtempSync(join(tmpdir(), 'poll-definitions-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const quiz = {
  id: 'q',
  kind: 'quiz',
  question: 'Hva?',
  options: [
    { id: 'a', label: 'A' },
    { id: 'b', label: 'B' },
  ],
}

/** A POLL_DEFINITIONS module with these exports. */
function definitions(name: string, exports: Record<string, unknown>): string {
  const file = join(dir, `${name}.mjs`)
  writeFileSync(file, Object.entries(exports).map(([key, value]) => `export const ${key} = ${JSON.stringify(value)}\n`).join(''))
  return file
}

describe('loadPolls', () => {
  it('gives the server the talk\'s polls with an answer to every quiz, which the polls themselves do not hold', async () => {
    const talk = await loadPolls(undefined)
    const quizzes = talk.polls.filter(poll => poll.kind === 'quiz')
    expect(quizzes.length).toBeGreaterThan(0)
    for (const poll of quizzes) {
      expect(poll).not.toHaveProperty('correct')
      expect(poll.options.map(option => option.id)).toContain(talk.answers[poll.id])
    }
  })

  it('takes `polls` and `answers` from a POLL_DEFINITIONS module', async () => {
    const loaded = await loadPolls(definitions('ok', {
      polls: [quiz],
      answers: { q: 'b' },
    }))
    expect(loaded.answers).toEqual({ q: 'b' })
    expect(loaded.polls.map(poll => poll.id)).toEqual(['q'])
  })

  it('stops the server at start on a quiz without an answer, an answer that is no option, or one for no quiz', async () => {
    await expect(loadPolls(definitions('missing', {
      polls: [quiz],
    }))).rejects.toThrow('Quizen «q» har ikke noe riktig svar')
    await expect(loadPolls(definitions('wrong', {
      polls: [quiz],
      answers: { q: 'c' },
    }))).rejects.toThrow('«c», som ikke er blant alternativene (a, b)')
    await expect(loadPolls(definitions('stray', {
      polls: [quiz],
      answers: { q: 'a', x: 'a' },
    }))).rejects.toThrow('har et svar for «x», som ikke er en quiz')
  })
})
