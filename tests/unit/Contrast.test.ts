import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import Contrast from '../../components/Contrast.vue'
import { recordingClickDirectives } from './click-directives.ts'

const slots = { idea: 'SAMSKAPING', lookalike: 'DUGNAD!', verdict: '– ok, men det er ikke samskaping!' }

describe('contrast', () => {
  const contrast = mount(Contrast, {
    slots,
    global: { directives: recordingClickDirectives },
  })

  it('sets the idea against its lookalike and the verdict', () => {
    const text = contrast.text()
    expect(text).toContain('SAMSKAPING')
    expect(text).toContain('DUGNAD!')
    expect(text).toContain('– ok, men det er ikke samskaping!')
    expect(text.indexOf('SAMSKAPING')).toBeLessThan(text.indexOf('DUGNAD!'))
  })

  it('shows the idea at once, the lookalike on the first click and the verdict on the second', () => {
    const idea = contrast.find('p')
    expect(idea.text()).toBe('SAMSKAPING')
    expect(idea.element.closest('[data-click-at]')).toBeNull()
    const lookalike = contrast.findAll('p').find(p => p.text() === 'DUGNAD!')!
    expect(lookalike.element.closest('[data-click-at]')?.getAttribute('data-click-at')).toBe('with-previous')
    const clickSteps = contrast.findAll('[data-click-at="next"]')
    expect(clickSteps).toHaveLength(2)
    expect(clickSteps[1]!.text()).toBe('– ok, men det er ikke samskaping!')
  })

  it('hides the decorative ≠ sign from screen readers', () => {
    const sign = contrast.findAll('[aria-hidden="true"]').find(el => el.text() === '≠')
    expect(sign).toBeDefined()
  })
})
