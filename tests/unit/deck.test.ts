// @vitest-environment node
import { existsSync, readFileSync } from 'node:fs'
import { parseSync } from '@slidev/parser'
import { describe, expect, it } from 'vitest'
import { polls } from '../../snippets/polls.ts'
import { cycleSteps } from '../../snippets/samskaping-cycle.ts'
import { readSlides } from '../slides-source.ts'

const source = readFileSync('slides.md', 'utf8')
// The first slide's frontmatter is the deck's headmatter.
const headmatter = parseSync(source, 'slides.md').slides[0]!.frontmatter as Record<string, any>
const slides = readSlides()

describe('the deck\'s settings', () => {
  it('declares Norwegian, a title and a sharing description', () => {
    expect(headmatter.lang).toBe('nb')
    expect(headmatter.htmlAttrs).toEqual({ lang: 'nb' })
    expect(headmatter.title).toBe('Partnerskap for inkludering og ung deltakelse')
    expect(headmatter.info).toMatch(/samskaping/)
  })

  it('loads nothing from a third party: local fonts and favicon', () => {
    expect(headmatter.fonts).toMatchObject({ provider: 'none', sans: 'Source Sans 3' })
    expect(headmatter.favicon).toBe('/favicon.svg')
    expect(existsSync('public/favicon.svg')).toBe(true)
    const styles = readFileSync('styles/index.ts', 'utf8')
    const fontImports = [
      ...styles.matchAll(/import '(@fontsource\/[^']+)'/g),
    ].map(m => m[1])
    expect(fontImports.length).toBeGreaterThan(0)
    expect(fontImports.every(file => /\/latin-\d{3}(?:-italic)?\.css$/.test(file!))).toBe(true)
  })

  it('links only to the two sites the talk names', () => {
    const urls = [
      ...source.matchAll(/https?:\/\/[^\s"')]+/g),
    ].map(m => m[0])
    expect(new Set(urls)).toEqual(new Set(['https://www.usn.no/sesam', 'https://www.kobro.no']))
  })

  it('follows the system colour scheme', () => {
    expect(headmatter.colorSchema).toBe('auto')
  })
})

describe('the slides', () => {
  it('opens with the cover and closes with SESAM', () => {
    expect(slides[0]!.layout).toBe('cover')
    expect(slides.at(-1)!.layout).toBe('closing')
    expect(slides.at(-1)!.title).toBe('SESAM')
  })

  it('use only layouts the deck defines', () => {
    for (const layout of new Set(slides.map(slide => slide.layout).filter(Boolean)))
      expect(existsSync(`layouts/${layout}.vue`), `layouts/${layout}.vue`).toBe(true)
  })

  const pollAfter: Record<string, RegExp> = {
    'dristig': /^Utfordringer og behov/,
    'vane': /^Vaner er gode å ha/,
    'forstyrret': /^Hjernen vår foretrekker/,
    'paradigme': /^Tre paradigmer/,
    'rundt-bordet': /^Samskaping handler om å skape/,
    'dugnad-eller-samskaping': /DUGNAD/,
    // Its first step done in the room: the cycle says «Dele ideer om hva problemet egentlig er – sammen!».
    'problemet': /^Kunnskap møter praksis/,
  }

  it.each(polls.map(poll => poll.id))('show poll «%s» once, on a poll slide after the slide it follows', (id) => {
    const pollSlides = slides.filter(slide => slide.pollId === id)
    expect(pollSlides).toHaveLength(1)
    const slide = pollSlides[0]!
    expect(slide.layout).toBe('poll')
    expect(slides[slide.number - 2]!.title).toMatch(pollAfter[id]!)
  })

  it('draw the samskaping cycle with its steps from the talk\'s snippet, each on its own click', () => {
    const cycle = slides.find(slide => slide.title === 'Kunnskap møter praksis')!
    expect(source).toMatch(/<SamskapingCycle\s*\/>/)
    expect(cycle.note.match(/\[click\]/g)).toHaveLength(cycleSteps.length)
    for (const step of ['Dele ideer om hva problemet egentlig er', 'Utvikle tanker om mulige løsninger', 'Produsere/distribuere nye løsninger'])
      expect(cycleSteps.map(s => s.text).join(' ')).toContain(step)
  })
})
