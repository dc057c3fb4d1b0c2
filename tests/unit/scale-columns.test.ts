import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { findPoll } from '../../polls/catalog.ts'
import { scale } from '../../polls/kinds/scale/index.ts'
import { COLUMN_GAP_PERCENT, scaleColumns } from '../../polls/kinds/scale/scale-columns.ts'
import ScaleResult from '../../polls/kinds/scale/ScaleResult.vue'
import { polls } from '../fixtures/polls.ts'

const skala = findPoll(polls, 'skala')!
if (skala.kind !== 'scale')
  throw new Error('the fixture «skala» must be a scale poll')
const options = scale.options(skala)
const ends = { ...skala, minLabel: 'Forsiktige', maxLabel: 'Kompromissløse, uten noen som helst forbehold' }

describe('scaleColumns', () => {
  it('gives equal counts equal columns, the long end label\'s column included', () => {
    const tallies = Object.fromEntries(options.map(option => [option.id, 7]))
    const columns = scaleColumns(options, tallies, 35, ends)
    expect(new Set(columns.map(column => column.width)).size).toBe(1)
    expect(new Set(columns.map(column => column.height))).toEqual(new Set([100]))
    expect(columns.at(-1)!.end).toBe(ends.maxLabel)
  })

  it('spaces the columns evenly and fills the plot exactly, for any number of values', () => {
    for (const count of [2, 5, 7, 11]) {
      const values = Array.from({ length: count }, (_, index) => ({
        id: String(index + 1),
        label: String(index + 1),
      }))
      const columns = scaleColumns(values, {}, 0, { min: 1, max: count })
      expect(columns[0]!.left).toBe(0)
      expect(columns.at(-1)!.left + columns.at(-1)!.width).toBeCloseTo(100, 10)
      for (const [index, column] of columns.slice(1).entries())
        expect(column.left - (columns[index]!.left + columns[index]!.width)).toBeCloseTo(COLUMN_GAP_PERCENT, 10)
    }
  })

  it('measures heights against the largest count, and draws nothing before the first vote', () => {
    const columns = scaleColumns(options, { 1: 2, 2: 4, 3: 1 }, 7, ends)
    expect(columns.map(column => column.height)).toEqual([50, 100, 25, 0, 0])
    expect(columns.map(column => column.percent)).toEqual([29, 57, 14, 0, 0])
    expect(scaleColumns(options, {}, 0, ends).map(column => column.height)).toEqual([0, 0, 0, 0, 0])
  })
})

describe('scaleResult', () => {
  it('places every column where scaleColumns says, so equal votes look equal', () => {
    const result = mount(ScaleResult, {
      props: {
        options,
        tallies: Object.fromEntries(options.map(option => [option.id, 3])),
        total: 15,
        minLabel: ends.minLabel,
        maxLabel: ends.maxLabel,
      },
    })
    const columns = result.findAll('li.scale-column').map(li => li.attributes('style'))
    const widths = columns.map(style => style!.match(/width: ([\d.]+)%/)![1])
    expect(new Set(widths).size).toBe(1)
    expect(new Set(result.findAll('.scale-bar').map(bar => bar.attributes('style')))).toEqual(new Set(['height: 100%;']))
    expect(result.text()).toContain(ends.maxLabel)
  })
})
