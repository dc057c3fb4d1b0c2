// @vitest-environment node
import type { IdeasPoll } from '../../polls/kinds/ideas/index.ts'
import { describe, expect, it } from 'vitest'
import { ideas, normaliseIdea, rankIdeas } from '../../polls/kinds/ideas/index.ts'

const wall: IdeasPoll = { id: 'vegg', kind: 'ideas', question: 'Hva er problemet?' }

describe('the idea wall as a kind', () => {
  it('keeps an approved idea without lifts in its status and CSV, the most lifted first', () => {
    const tallies = { 'Flere møteplasser': 0, 'Spør de unge': 4, 'Mer tid': 4 }
    expect(rankIdeas(tallies)).toEqual([
      ['Mer tid', 4],
      ['Spør de unge', 4],
      ['Flere møteplasser', 0],
    ])
    expect(ideas.status(wall, tallies, undefined, 3)).toEqual({
      tallies: { 'Mer tid': 4, 'Spør de unge': 4, 'Flere møteplasser': 0 },
      ideaCount: 3,
    })
    expect(ideas.csvRows(wall, tallies).at(-1)).toEqual(['Flere møteplasser', 'Flere møteplasser', 0])
  })

  it('tidies an idea\'s spacing, keeps its case for the wall and keys it as words are, refusing what cannot be shown', () => {
    expect(normaliseIdea('  Mer   TID til\nde unge ')).toEqual({
      ok: true,
      value: { text: 'Mer TID til de unge', key: 'mer tid til de unge' },
    })
    expect(normaliseIdea('')).toEqual({ ok: false, error: 'Skriv idéen din først.' })
    expect(normaliseIdea('a\u202Eb')).toEqual({ ok: false, error: 'Teksten kan ikke inneholde kontrolltegn.' })
    expect(normaliseIdea('x'.repeat(141))).toEqual({ ok: false, error: 'Idéen er for lang: høyst 140 tegn (nå 141).' })
    expect(normaliseIdea(7)).toEqual({ ok: false, error: 'Idéen må være tekst.' })
    // Invisible characters alone make no idea (and no empty card on the wall).
    expect(normaliseIdea('\u200B\u00AD\u2060')).toEqual({ ok: false, error: 'Skriv idéen din først.' })
    expect(normaliseIdea('Mer\u200B tid')).toEqual({
      ok: true,
      value: { text: 'Mer tid', key: 'mer tid' },
    })
  })
})
