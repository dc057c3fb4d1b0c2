/**
 * The quiz answer reaches a browser only when the presenter reveals it: no file of the built deck or voting page
 * (what any phone can download and read) holds it. A quiz already revealed in the talk is in the saved results
 * (snippets/poll-results.json) on purpose, so print and export show it: those are left out.
 */
import type { PollSnapshot } from '../../polls/types.ts'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { extname, join, resolve } from 'node:path'
import process from 'node:process'
import { describe, expect, it } from 'vitest'
import { parseSavedResults, pickSession } from '../../polls/saved-results.ts'
import { answers } from '../../snippets/quiz-answers.ts'

const distDir = resolve(process.env.E2E_DIST_DIR ?? 'dist')
const TEXT_FILES = new Set([
  '.html',
  '.js',
  '.mjs',
  '.css',
  '.json',
  '.webmanifest',
  '.map',
  '.txt',
  '.svg',
  '.xml',
])

function textFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(entry => entry.isFile() && TEXT_FILES.has(extname(entry.name)))
    .map(entry => join(entry.parentPath, entry.name))
}

const quote = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The ways a bundler writes «this quiz's answer is X»: as a property of the poll, or as an entry in a map. */
function answerPatterns(pollId: string, answer: string): RegExp[] {
  const value = `["'\`]${quote(answer)}["'\`]`
  return [
    new RegExp(`\\bcorrect["'\`]?\\s*:\\s*${value}`),
    new RegExp(`["'\`]?${quote(pollId)}["'\`]?\\s*:\\s*${value}`),
  ]
}

describe('the quiz answer in the built deck and voting page', () => {
  // The session the build baked into the deck (POLL_SESSION, else the newest).
  const saved: PollSnapshot = pickSession(parseSavedResults(JSON.parse(readFileSync('snippets/poll-results.json', 'utf8'))), process.env.POLL_SESSION)?.polls ?? {}
  const secret = Object.entries(answers).filter(([id]) => saved[id]?.correct === undefined)

  it('is in no file a browser can download, before the presenter reveals it', () => {
    if (!existsSync(join(distDir, 'vote', 'index.html')))
      throw new Error(`${distDir} has no voting page: run \`npm run build\` before the end-to-end tests.`)
    expect(secret.length).toBeGreaterThan(0)
    const files = textFiles(distDir)
    expect(files.some(file => file.startsWith(join(distDir, 'vote')) && file.endsWith('.js'))).toBe(true)
    const found: string[] = []
    const quizzesSeen = new Set<string>()
    for (const file of files) {
      const text = readFileSync(file, 'utf8')
      for (const [id, answer] of secret) {
        if (text.includes(id))
          quizzesSeen.add(id)
        if (answerPatterns(id, answer).some(pattern => pattern.test(text)))
          found.push(`${file.slice(distDir.length + 1)}: ${id} → ${answer}`)
      }
    }
    expect(found).toEqual([])
    // The quizzes themselves are in the bundle: the check looked at the right files.
    expect([...quizzesSeen].sort()).toEqual(secret.map(([id]) => id).sort())
  })
})
