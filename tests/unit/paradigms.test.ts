// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { aspectLabels, aspects, paradigms } from '../../snippets/paradigms.ts'
import { readSlides } from '../slides-source.ts'

/** Lower-case words only, so wording can be compared across punctuation and line breaks. */
function words(text: string): string {
  return text.toLowerCase().replace(/[^a-zæøå0-9]+/g, ' ').trim()
}

describe('the three paradigms', () => {
  it('are planning, New Public Management and co-creation, in the order of the talk', () => {
    expect(paradigms.map(paradigm => paradigm.name)).toEqual(['Planlegging', 'New Public Management', 'Samskaping'])
  })

  it('fill every aspect of the comparison', () => {
    for (const paradigm of paradigms) {
      for (const aspect of aspects)
        expect(paradigm[aspect].trim(), `${paradigm.name}: ${aspect}`).not.toBe('')
    }
  })

  it('label population, organisation model, ideals, innovation and power', () => {
    expect(aspects).toEqual([
      'population',
      'organisation',
      'ideals',
      'innovation',
      'power',
    ])
    expect(Object.values(aspectLabels)).toEqual([
      'Befolkningen',
      'Organisasjonsmodell',
      'Idealer',
      'Innovasjon',
      'Makt',
    ])
  })

  it('carry the seed slide\'s power formulas', () => {
    expect(paradigms.map(paradigm => `Makt = ${paradigm.power}`)).toEqual(['Makt = Posisjon', 'Makt = Kapital (bunnlinje)', 'Makt = Medvirkning'])
  })

  it('have every word of the seed slide on the slide or in its speaker notes', () => {
    const slide = readSlides().find(s => s.title?.startsWith('Tre paradigmer'))
    expect(slide, 'the paradigm slide').toBeDefined()
    const notes = words(slide!.note)
    for (const paradigm of paradigms) {
      for (const detail of paradigm.details)
        expect(notes, `${paradigm.name}: «${detail}»`).toContain(words(detail))
    }
  })
})
