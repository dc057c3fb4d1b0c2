import type { PollDefinition } from '../../polls/types.ts'
import { mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { findPoll } from '../../polls/catalog.ts'
import { snapshotStatus } from '../../polls/snapshot.ts'
import { polls } from '../fixtures/polls.ts'
import { setPageUrl } from './page-url.ts'

// Nothing answers here: the panel must fall back to the saved results, as on the static hosted deck.
beforeEach(() => {
  setPageUrl('http://127.0.0.1:9/9')
  localStorage.clear()
})

/** Mounts the panel as on a fresh page load (the presenter token is read once per page). */
async function mountPanel(props: { poll: PollDefinition, print: boolean, active: boolean, presenter: boolean }) {
  vi.resetModules()
  const { default: PollPanel } = await import('../../components/PollPanel.vue')
  return mount(PollPanel, { props })
}

const valg = findPoll(polls, 'valg')!

describe('pollPanel', () => {
  it('in print and export shows the question and options, never a join code or controls', async () => {
    localStorage.setItem('samskaping:presenter-token', 'secret')
    const panel = await mountPanel({
      poll: valg,
      print: true,
      active: true,
      presenter: true,
    })
    expect(panel.find('h1').text()).toBe(valg.question)
    expect(panel.text()).toContain('Ingen stemmer ennå')
    expect(panel.findAll('li .sr-only').map(item => item.text())).toEqual([
      'Ja: 0 stemmer (0\u00A0%)',
      'Delvis: 0 stemmer (0\u00A0%)',
      'Nei: 0 stemmer (0\u00A0%)',
    ])
    expect(panel.find('svg').exists()).toBe(false)
    expect(panel.find('aside').exists()).toBe(false)
    expect(panel.find('button').exists()).toBe(false)
    expect(panel.find('[aria-live]').exists()).toBe(false)
  })

  it('without a poll server shows the saved results, not a spinner or a QR code to nowhere', async () => {
    const panel = await mountPanel({
      poll: valg,
      print: false,
      active: true,
      presenter: false,
    })
    expect(panel.find('h1').text()).toBe(valg.question)
    expect(panel.text()).toContain('Ingen stemmer ennå')
    expect(panel.find('svg').exists()).toBe(false)
    expect(panel.text()).not.toMatch(/Laster|Kobler/)
  })

  it('offers the presenter a field for the token when none is known', async () => {
    const panel = await mountPanel({
      poll: valg,
      print: false,
      active: true,
      presenter: true,
    })
    expect(panel.find('input[type="password"]').exists()).toBe(true)
    expect(panel.find('label').text()).toBe('Presentatørnøkkel')
    expect(panel.text()).not.toContain('Åpne avstemning')
  })

  it('shows no controls to the audience, even with a token in storage', async () => {
    localStorage.setItem('samskaping:presenter-token', 'secret')
    const panel = await mountPanel({
      poll: valg,
      print: false,
      active: true,
      presenter: false,
    })
    expect(panel.find('button').exists()).toBe(false)
    expect(panel.find('input').exists()).toBe(false)
  })
})

describe('snapshotStatus', () => {
  const saved = {
    valg: {
      total: 30,
      tallies: { ja: 12, delvis: 15, nei: 3 },
      closedAt: '2025-03-01T10:00:00.000Z',
    },
  }

  it('turns saved results into a closed poll with its options', () => {
    expect(snapshotStatus(valg, saved)).toMatchObject({
      id: 'valg',
      state: 'closed',
      total: 30,
      tallies: { ja: 12, delvis: 15, nei: 3 },
      options: valg.kind === 'choice'
        ? valg.options
        : [],
    })
  })

  it('shows a quiz’s answer only when the saved results have it (the quiz was revealed in the talk)', () => {
    const quiz = findPoll(polls, 'quiz')!
    expect(snapshotStatus(quiz, {})).toMatchObject({ revealed: false, total: 0 })
    expect(snapshotStatus(quiz, {}).correct).toBeUndefined()
    const closedUnrevealed = {
      [quiz.id]: {
        total: 2,
        tallies: { dugnad: 2 },
        closedAt: '2025-03-01T10:00:00.000Z',
      },
    }
    expect(snapshotStatus(quiz, closedUnrevealed)).toMatchObject({ revealed: false, total: 2 })
    expect(snapshotStatus(quiz, closedUnrevealed).correct).toBeUndefined()
    const afterTalk = {
      [quiz.id]: {
        ...closedUnrevealed[quiz.id]!,
        correct: 'dugnad',
      },
    }
    expect(snapshotStatus(quiz, afterTalk)).toMatchObject({ revealed: true, correct: 'dugnad' })
  })

  it('gives a scale its values and end labels', () => {
    expect(snapshotStatus(findPoll(polls, 'skala')!, {})).toMatchObject({
      options: ['1', '2', '3', '4', '5'].map(value => ({ id: value, label: value })),
      min: 1,
      max: 5,
      minLabel: 'Forsiktige',
      maxLabel: 'Kompromissløse',
    })
  })
})
