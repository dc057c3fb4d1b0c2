import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import PollResults from '../../components/PollResults.vue'
import { findPoll } from '../../polls/catalog.ts'
import { snapshotStatus } from '../../polls/snapshot.ts'
import { polls } from '../fixtures/polls.ts'

const skala = findPoll(polls, 'skala')!

describe('scaleResult', () => {
  it('shows the mean with a Norwegian decimal comma, and the distribution with end labels', () => {
    const status = {
      ...snapshotStatus(skala, {}),
      total: 5,
      tallies: { 1: 1, 2: 0, 3: 1, 4: 2, 5: 1 },
    }
    const result = mount(PollResults, {
      props: { status },
    })
    expect(result.text()).toContain('Snitt')
    expect(result.find('strong').text()).toBe('3,4')
    expect(result.findAll('li .sr-only').map(span => span.text())).toEqual([
      '1 (Forsiktige): 1 stemme (20\u00A0%)',
      '2: 0 stemmer (0\u00A0%)',
      '3: 1 stemme (20\u00A0%)',
      '4: 2 stemmer (40\u00A0%)',
      '5 (Kompromissløse): 1 stemme (20\u00A0%)',
    ])
    expect(result.text()).toContain('Forsiktige')
    expect(result.text()).toContain('Kompromissløse')
  })

  it('has no mean to show before anyone has voted', () => {
    const result = mount(PollResults, {
      props: {
        status: snapshotStatus(skala, {}),
      },
    })
    expect(result.text()).not.toContain('Snitt')
    expect(result.text()).toContain('Ingen stemmer ennå')
    expect(result.findAll('li')).toHaveLength(5)
  })
})
