import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import OfficeMark from '../../components/OfficeMark.vue'

describe('officeMark', () => {
  it.each([
    ['nn', 'NOREG', 'STATSMINISTERENS KONTOR'],
    ['nb', 'NORGE', 'STATSMINISTERENS KONTOR'],
    ['en', 'NORWAY', 'OFFICE OF THE PRIME MINISTER'],
  ] as const)('sets the %s mark as «%s / %s» in that language', (language, country, office) => {
    const mark = mount(OfficeMark, {
      props: { language },
    })
    const lines = mark.findAll('span').map(span => span.text()).filter(Boolean)
    expect(lines).toEqual([country, office])
    expect(mark.attributes('lang')).toBe(language)
  })

  it('is type, not an image', () => {
    const mark = mount(OfficeMark, {
      props: { language: 'nb' },
    })
    expect(mark.findAll('img, svg')).toHaveLength(0)
  })
})
