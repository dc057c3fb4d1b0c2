import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import PollResults from '../../components/PollResults.vue'
import { findPoll } from '../../polls/catalog.ts'
import WordCloud from '../../polls/kinds/words/WordCloud.vue'
import { snapshotStatus } from '../../polls/snapshot.ts'
import { polls } from '../fixtures/polls.ts'

/** A word's size on the canvas, from its layout (the style is in rem, shrinking only where the cloud is narrower than its box). */
function fontSizeOf(cloud: ReturnType<typeof mount>, word: string): number {
  const item = cloud.findAll('li').find(li => li.text().startsWith(word))!
  return Number((item.element as HTMLElement).dataset.px)
}

describe('wordCloud', () => {
  it('shows what voters typed as text, never as markup', () => {
    const attack = '<img src=x onerror=alert(1)>'
    const cloud = mount(WordCloud, {
      props: {
        tallies: { [attack]: 2, '<b>fet</b>': 1 },
      },
    })
    expect(cloud.find('img').exists()).toBe(false)
    expect(cloud.find('b').exists()).toBe(false)
    expect(cloud.text()).toContain(attack)
    expect(cloud.text()).toContain('<b>fet</b>')
  })

  it('sizes words by how many gave them', () => {
    const cloud = mount(WordCloud, {
      props: {
        tallies: { møter: 9, siloer: 4, rapporter: 1 },
      },
    })
    expect(fontSizeOf(cloud, 'møter')).toBeGreaterThan(fontSizeOf(cloud, 'siloer'))
    expect(fontSizeOf(cloud, 'siloer')).toBeGreaterThan(fontSizeOf(cloud, 'rapporter'))
    expect(fontSizeOf(cloud, 'rapporter')).toBeGreaterThanOrEqual(24) // px on the canvas
  })

  it('tells a screen reader how many gave each word', () => {
    const cloud = mount(WordCloud, {
      props: {
        tallies: { møter: 3, siloer: 1 },
      },
    })
    expect(cloud.findAll('li').map(li => li.text()).sort()).toEqual(['møter: 3 stemmer', 'siloer: 1 stemme'])
  })

  it('shows the most frequent words that fit, and counts the rest', () => {
    const tallies = Object.fromEntries(Array.from({ length: 100 }, (_, index) => [`ord nummer ${index}`, 200 - index]))
    const cloud = mount(WordCloud, {
      props: { tallies, distinct: 130 },
    })
    const shown = cloud.findAll('li').length
    expect(shown).toBeGreaterThan(5)
    expect(shown).toBeLessThan(40)
    expect(cloud.text()).toContain('ord nummer 0:')
    expect(cloud.text()).not.toContain('ord nummer 99:')
    expect(cloud.text()).toContain(`+ ${130 - shown} andre ord`)
  })

  it('is replaced by «Ingen stemmer ennå» before anyone has answered', () => {
    const empty = mount(PollResults, {
      props: {
        status: snapshotStatus(findPoll(polls, 'ord')!, {}),
      },
    })
    expect(empty.text()).toBe('Ingen stemmer ennå')
  })
})
