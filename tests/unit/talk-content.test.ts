// @vitest-environment node
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { readSlides } from '../slides-source.ts'

/** What the audience reads: slides.md and the typed data its components render, as plain text. */
function talkText(): string {
  return [
    'slides.md',
    'snippets/paradigms.ts',
    'snippets/samskaping-cycle.ts',
    'components/OfficeMark.vue',
    'components/Contrast.vue',
  ]
    .map(file => readFileSync(file, 'utf8'))
    .join('\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/[*_]/g, '')
    .replace(/\s+/g, ' ')
}

const seedPhrases = [
  'Partnerskap for inkludering og ung deltakelse',
  'Stig Wigestrand',
  'Lars U. Kobro',
  'Kirsten Viga Skretting',
  'Utfordringer og behov knyttet til helhetlig innsats for inkludering av barn og unge',
  'Samarbeid både vertikalt og horisontalt',
  'Kompromissløst',
  'Krevende fase',
  'STATSMINISTERENS',
  'Vaner er gode å ha',
  'The difficulty lies not so much in developing new ideas as escaping from the old ones',
  'Keynes',
  'Disrupsjon',
  'Hjernen vår foretrekker tanker den har tenkt før!',
  'Daniel Kahneman',
  'Har vi systemer, organisasjoner og rutiner for det?',
  'bruke 55 minutter på å se oppgaven fra alle mulige kanter',
  'Innovasjon handler ikke om å fikle seg fram til en litt bedre løsning',
  'Et brudd!',
  'Tre paradigmer (logikker) for inkludering og ung deltakelse',
  'Medvirkning',
  'Organisasjonsmodell',
  'likeverdig samspill',
  'ikke systemer, prosedyrer og budsjettkolonner',
  'DUGNAD',
  'men det er ikke samskaping!',
  'Kunnskap møter praksis',
  'Praksis møter kunnskap',
  'Dele ideer om hva problemet egentlig er',
  'Senter for sosialt entreprenørskap og samskapende sosial innovasjon',
  'usn.no/sesam',
  'kobro.no',
]

describe('the talk as written in slides.md', () => {
  const text = talkText()

  it.each(seedPhrases)('says «%s» as the seed deck does', (phrase) => {
    expect(text.toLowerCase()).toContain(phrase.toLowerCase())
  })

  it('keeps none of the extraction damage', () => {
    for (const garbled of [
      'ottrordringer',
      'Kjøbro',
      'likeverdige samspill',
      'komple- mentære',
    ])
      expect(text).not.toContain(garbled)
  })

  it('has speaker notes of 2–6 sentences on every slide', () => {
    for (const slide of readSlides()) {
      const sentences = slide.note.split(/(?<=[.!?…])\s+(?=[A-ZÆØÅ«–])/).filter(s => s.trim().length > 1)
      expect(sentences.length, `slide ${slide.number} (${slide.title ?? slide.pollId ?? 'untitled'})`).toBeGreaterThanOrEqual(2)
      expect(sentences.length, `slide ${slide.number} (${slide.title ?? slide.pollId ?? 'untitled'})`).toBeLessThanOrEqual(6)
    }
  })
})
