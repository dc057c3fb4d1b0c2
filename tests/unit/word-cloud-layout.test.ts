// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { layoutWordCloud, MIN_WORD_PX } from '../../polls/kinds/words/cloud-layout.ts'

const box = { width: 640, height: 290 }

describe('layoutWordCloud', () => {
  it('ranks by count and sizes the most frequent word largest', () => {
    const words = layoutWordCloud({ siloer: 3, møter: 9, rapporter: 1 }, box)
    expect(words.map(({ word }) => word)).toEqual(['møter', 'siloer', 'rapporter'])
    expect(words[0]!.px).toBeGreaterThan(words[1]!.px)
    expect(words[1]!.px).toBeGreaterThan(words[2]!.px)
    expect(words[2]!.px).toBeGreaterThanOrEqual(MIN_WORD_PX)
  })

  it('shrinks a crowded cloud, never below 24 px, and leaves out what cannot fit', () => {
    const tallies = Object.fromEntries(Array.from({ length: 100 }, (_, index) => [`samarbeid på tvers ${index}`, 2]))
    const words = layoutWordCloud(tallies, box)
    expect(words.length).toBeLessThan(40)
    expect(words.every(({ px }) => px >= MIN_WORD_PX)).toBe(true)
    const estimatedArea = words.reduce((sum, { word, px }) => sum + ([...word].length * 0.52 * px + 24) * (1.25 * px + 4), 0)
    expect(estimatedArea).toBeLessThanOrEqual(box.width * box.height)
  })

  it('ignores words with no votes', () => {
    expect(layoutWordCloud({ borte: 0, her: 1 }, box).map(({ word }) => word)).toEqual(['her'])
  })
})
