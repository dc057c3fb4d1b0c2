import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import PollResults from '../../components/PollResults.vue'
import { findPoll } from '../../polls/catalog.ts'
import PollBars from '../../polls/kinds/choice/PollBars.vue'
import { snapshotStatus } from '../../polls/snapshot.ts'
import { polls } from '../fixtures/polls.ts'

const options = [
  { id: 'ja', label: 'Ja' },
  { id: 'delvis', label: 'Delvis' },
  { id: 'nei', label: 'Nei' },
]

function rowTexts(wrapper: ReturnType<typeof mount>): string[] {
  return wrapper.findAll('li .sr-only').map(span => span.text())
}

describe('pollBars', () => {
  it('shows each option with its votes and share, in the options’ order', () => {
    const bars = mount(PollBars, {
      props: {
        options,
        tallies: { ja: 12, delvis: 15, nei: 3 },
        total: 30,
      },
    })
    expect(rowTexts(bars)).toEqual([
      'Ja: 12 stemmer (40\u00A0%)',
      'Delvis: 15 stemmer (50\u00A0%)',
      'Nei: 3 stemmer (10\u00A0%)',
    ])
    const visible = bars.findAll('li').map(li => li.findAll('[aria-hidden="true"]').map(part => part.text()).join(' | '))
    expect(visible[0]).toBe('Ja |  | 12 · 40\u00A0%')
    expect(bars.findAll('li span[style]').map(bar => bar.attributes('style'))).toEqual(['width: 40%;', 'width: 50%;', 'width: 10%;'])
  })

  it('says «1 stemme» in the singular and copes with an option nobody chose', () => {
    const bars = mount(PollBars, {
      props: {
        options,
        tallies: { ja: 1 },
        total: 1,
      },
    })
    expect(rowTexts(bars)).toEqual(['Ja: 1 stemme (100\u00A0%)', 'Delvis: 0 stemmer (0\u00A0%)', 'Nei: 0 stemmer (0\u00A0%)'])
  })

  it('measures multi-choice bars against the number of voters', () => {
    const bars = mount(PollBars, {
      props: {
        options,
        tallies: { ja: 4, delvis: 3, nei: 1 },
        total: 4,
      },
    })
    expect(rowTexts(bars)[0]).toBe('Ja: 4 stemmer (100\u00A0%)')
    expect(rowTexts(bars)[1]).toBe('Delvis: 3 stemmer (75\u00A0%)')
  })

  it('marks the correct answer with a check mark and words, not colour alone', () => {
    const bars = mount(PollBars, {
      props: {
        options,
        tallies: { ja: 2, nei: 1 },
        total: 3,
        correct: 'nei',
      },
    })
    const correct = bars.find('li[data-correct]')
    expect(correct.text()).toContain('✓ Nei')
    expect(correct.find('.sr-only').text()).toBe('Nei: 1 stemme (33\u00A0%), riktig svar')
    expect(bars.findAll('li[data-correct]')).toHaveLength(1)
  })
})

describe('pollResults for a quiz', () => {
  const quiz = findPoll(polls, 'quiz')!
  const base = {
    ...snapshotStatus(quiz, {}),
    state: 'open' as const,
    total: 5,
    tallies: { samskaping: 2, dugnad: 3 },
  }

  it('keeps the answer hidden until the presenter reveals it', () => {
    const hidden = mount(PollResults, {
      props: {
        status: { ...base, revealed: false },
      },
    })
    expect(hidden.find('li[data-correct]').exists()).toBe(false)
    expect(hidden.text()).not.toContain('riktig svar')
  })

  it('highlights the answer once revealed', () => {
    const shown = mount(PollResults, {
      props: {
        status: { ...base, revealed: true, correct: 'dugnad' },
      },
    })
    expect(shown.find('li[data-correct]').text()).toContain('Dugnad')
  })

  it('says «Ingen stemmer ennå» but still lists the options when nobody has voted', () => {
    const empty = mount(PollResults, {
      props: {
        status: snapshotStatus(quiz, {}),
      },
    })
    expect(empty.text()).toContain('Ingen stemmer ennå')
    expect(rowTexts(empty)).toEqual(['Samskaping: 0 stemmer (0\u00A0%)', 'Dugnad: 0 stemmer (0\u00A0%)'])
  })
})

describe('pollBars\' layout', () => {
  it('draws equal bars for equal counts, whatever the labels', () => {
    const bars = mount(PollBars, {
      props: {
        options: [
          { id: 'a', label: 'A' },
          { id: 'b', label: 'Et svar med et mye lengre navn enn de andre' },
          { id: 'c', label: 'C' },
        ],
        tallies: { a: 4, b: 4, c: 4 },
        total: 12,
      },
    })
    const widths = bars.findAll('.poll-bar').map(bar => bar.attributes('style'))
    expect(widths).toHaveLength(3)
    expect(new Set(widths)).toEqual(new Set([`width: ${(4 / 12) * 100}%;`]))
  })
})
