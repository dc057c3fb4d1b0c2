// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { decimalLabel, percentLabel, percentOf, scaleMean, tallyText, votesLabel } from '../../polls/format.ts'

describe('pollFormat', () => {
  it('says «stemme» for one and «stemmer» otherwise, with Norwegian digit grouping', () => {
    expect(votesLabel(0)).toBe('0 stemmer')
    expect(votesLabel(1)).toBe('1 stemme')
    expect(votesLabel(2)).toBe('2 stemmer')
    expect(votesLabel(12000)).toBe('12\u00A0000 stemmer')
  })

  it('writes percentages the Norwegian way and never divides by zero', () => {
    expect(percentOf(1, 3)).toBe(33)
    expect(percentOf(0, 0)).toBe(0)
    expect(percentLabel(40)).toBe('40\u00A0%')
    expect(tallyText('Ja', 12, 30)).toBe('Ja: 12 stemmer (40\u00A0%)')
  })

  it('averages a scale and writes it with a decimal comma', () => {
    expect(scaleMean({ 1: 1, 3: 1, 4: 2, 5: 1 })).toBeCloseTo(3.4)
    expect(scaleMean({ 1: 0, 2: 0 })).toBeUndefined()
    expect(decimalLabel(3.4)).toBe('3,4')
    expect(decimalLabel(3)).toBe('3,0')
  })
})
