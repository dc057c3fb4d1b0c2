import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import SamskapingCycle from '../../components/SamskapingCycle.vue'
import { diagram } from '../../styles/palette.ts'
import { recordingClickDirectives } from './click-directives.ts'

const steps = [
  { text: 'Lytte', stress: 'sammen!' },
  { text: 'Prøve' },
  { text: 'Lære' },
  { text: 'Dele' },
]

function mountCycle() {
  return mount(SamskapingCycle, {
    props: { steps, label: 'Et kretsløp', repeat: 'Så begynner det på nytt.' },
    global: { directives: recordingClickDirectives },
  })
}

/** Centre of a step on the drawing, in % of its box, from the style the component sets. */
function centreOf(style: string) {
  return {
    x: Number(style.match(/left: ([\d.]+)%/)![1]),
    y: Number(style.match(/top: ([\d.]+)%/)![1]),
  }
}

describe('samskapingCycle', () => {
  const cycle = mountCycle()

  it('lists the steps in order as text, each on its own click, and says that the cycle starts again', () => {
    const items = cycle.findAll('ol > li')
    expect(items.map(item => item.text())).toEqual([
      'Lytte sammen!',
      'Prøve',
      'Lære',
      'Dele',
    ])
    expect(items.map(item => item.attributes('data-click-at'))).toEqual(['next', 'next', 'next', 'next'])
    expect(items[0]!.find('em').text()).toBe('sammen!')
    expect(cycle.find('figure').attributes('aria-label')).toBe('Et kretsløp')
    expect(cycle.find('p.sr-only').text()).toBe('Så begynner det på nytt.')
  })

  it('places the steps clockwise on the ring from the top', () => {
    const [top, right, bottom, left] = cycle.findAll('ol > li').map(item => centreOf(item.attributes('style')!))
    expect(top!.x).toBeCloseTo(50)
    expect(right!.x).toBeGreaterThan(50)
    expect(bottom!.y).toBeGreaterThan(top!.y)
    expect(bottom!.x).toBeCloseTo(50)
    expect(left!.x).toBeLessThan(50)
  })

  it('draws one arrow between each pair of steps, hidden from screen readers, in the diagram\'s colours', () => {
    expect(cycle.find('svg').attributes('aria-hidden')).toBe('true')
    const arrows = cycle.findAll('polygon')
    expect(arrows).toHaveLength(steps.length)
    expect(arrows.every(arrow => arrow.attributes('fill') === diagram.line)).toBe(true)
    expect(cycle.find('circle').attributes('stroke')).toBe(diagram.line)
    const style = cycle.find('ol > li').attributes('style')!
    expect(style).toContain(`color: ${diagram.text}`)
    expect(style).toContain(`background: ${diagram.fill}`)
  })
})
