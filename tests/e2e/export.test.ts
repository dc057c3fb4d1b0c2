import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { beforeAll, describe, expect, it } from 'vitest'
import { keyText, readSlides } from '../slides-source.ts'

const slides = readSlides()
const outDir = mkdtempSync(join(tmpdir(), 'samskaping-export-'))
const pdf = join(outDir, 'partnerskap-for-inkludering.pdf')

function pdfText(file: string): string {
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')
}

function pdfInfo(file: string): Record<string, string> {
  const lines = execFileSync('pdfinfo', [file], { encoding: 'utf8' }).split('\n')
  return Object.fromEntries(lines.filter(line => line.includes(':')).map(line => [
    line.slice(0, line.indexOf(':')),
    line.slice(line.indexOf(':') + 1).trim(),
  ]))
}

beforeAll(() => {
  execFileSync('node', ['scripts/export.ts'], {
    env: { ...process.env, EXPORT_DIR: outDir },
    stdio: 'inherit',
    timeout: 600_000,
  })
}, 600_000)

describe('npm run export', () => {
  it('writes the slide PDF', () => {
    expect(readdirSync(outDir)).toContain('partnerskap-for-inkludering.pdf')
  })

  it('has a page for every slide and each click step', () => {
    const pages = Number(pdfInfo(pdf).Pages)
    expect(pages).toBeGreaterThanOrEqual(slides.length)
    expect(pages).toBeLessThanOrEqual(slides.length + slides.reduce((sum, slide) => sum + slide.clicks, 0) + 10)
  })

  it('carries the talk title as metadata', () => {
    expect(pdfInfo(pdf).Title).toBe('Partnerskap for inkludering og ung deltakelse')
  })

  it('has every slide\'s key text in its text layer', () => {
    const text = pdfText(pdf)
    for (const slide of slides) {
      const expected = keyText(slide)
      if (expected)
        expect(text, `slide ${slide.number}`).toContain(expected)
    }
  })
})
