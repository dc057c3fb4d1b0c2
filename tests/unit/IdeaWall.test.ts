import type { PollStatus } from '../../polls/types.ts'
import { config, mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import PollResults from '../../components/PollResults.vue'
import { findPoll } from '../../polls/catalog.ts'
import IdeaWall from '../../polls/kinds/ideas/IdeaWall.vue'
import { ideasViews } from '../../polls/kinds/ideas/views.ts'
import { snapshotStatus } from '../../polls/snapshot.ts'
import { polls } from '../fixtures/polls.ts'
import { setPageUrl } from './page-url.ts'

const ideer = findPoll(polls, 'ideer')!

/** Each idea as a screen reader reads it: the visible count is hidden from it, its words are not. */
function items(wrapper: ReturnType<typeof mount>): string[] {
  return wrapper.findAll('li').map((item) => {
    const read = item.element.cloneNode(true) as HTMLElement
    read.querySelectorAll('[aria-hidden="true"]').forEach(hidden => hidden.remove())
    return read.textContent!.replace(/\s+/g, ' ').trim()
  })
}

// The real TransitionGroup (test-utils stubs it), so the list is the <ol> the slide has.
config.global.stubs = { TransitionGroup: false }

beforeEach(() => {
  setPageUrl('http://127.0.0.1:9/9')
  localStorage.clear()
})

describe('the idea wall on the slide', () => {
  it('lists the most lifted ideas first, each with its lifts in words for a screen reader', () => {
    const wall = mount(IdeaWall, {
      props: {
        ideas: [
          { text: 'Ingen eier helheten', lifts: 2 },
          { text: 'Ungdommene blir ikke spurt', lifts: 7 },
          { text: 'Lange ventelister', lifts: 1 },
        ],
      },
    })
    expect(wall.find('ol').exists()).toBe(true)
    expect(items(wall)).toEqual([
      'Ungdommene blir ikke spurt: 7 løft',
      'Ingen eier helheten: 2 løft',
      'Lange ventelister: 1 løft',
    ])
    expect(wall.findAll('li [aria-hidden="true"]').map(count => count.text())).toEqual(['7', '2', '1'])
  })

  it('shows what people typed as text, never as markup', () => {
    const wall = mount(IdeaWall, {
      props: {
        ideas: [
          { text: '<img src=x onerror=alert(1)>', lifts: 1 },
        ],
      },
    })
    expect(wall.find('img').exists()).toBe(false)
    expect(wall.text()).toContain('<img src=x onerror=alert(1)>')
  })

  it('counts the ideas that did not fit and those waiting for approval', () => {
    const ideas = Array.from({ length: 11 }, (_, index) => ({ text: `Idé ${index}`, lifts: index + 1 }))
    const wall = mount(IdeaWall, {
      props: { ideas, shared: 12, pending: 2 },
    })
    expect(wall.findAll('li')).toHaveLength(8)
    expect(wall.find('ol + p').text()).toBe('+ 4 andre idéer · 2 idéer venter på godkjenning')
    const one = mount(IdeaWall, {
      props: {
        ideas: ideas.slice(0, 9),
        pending: 0,
      },
    })
    expect(one.find('ol + p').text()).toBe('+ 1 annen idé')
  })

  it('shows only approved ideas from a live status', () => {
    const status: PollStatus = {
      ...snapshotStatus(ideer, {}),
      state: 'open',
      total: 3,
      ideaCount: 1,
      pending: 1,
      ideas: [
        {
          id: '1',
          text: 'Godkjent',
          lifts: 2,
          state: 'approved',
        },
        {
          id: '2',
          text: 'Venter',
          lifts: 1,
          state: 'pending',
        },
        {
          id: '3',
          text: 'Skjult',
          lifts: 4,
          state: 'hidden',
        },
      ],
    }
    const wall = mount(PollResults, {
      props: { status },
    })
    expect(items(wall)).toEqual(['Godkjent: 2 løft'])
    expect(wall.text()).toContain('1 idé venter på godkjenning')
  })

  it('in print, export and on a static host shows the final list from the saved results', () => {
    const saved = snapshotStatus(ideer, {
      ideer: {
        total: 5,
        tallies: { 'Tjenestene jobber i siloer': 3, 'Vi måler feil ting': 4 },
        closedAt: '2026-11-20T10:00:00.000Z',
      },
    })
    expect(items(mount(PollResults, {
      props: { status: saved },
    }))).toEqual([
      'Vi måler feil ting: 4 løft',
      'Tjenestene jobber i siloer: 3 løft',
    ])
    expect(ideasViews.wording!.count(saved)).toBe('2 idéer fra 5 personer')
    expect(mount(PollResults, {
      props: {
        status: snapshotStatus(ideer, {}),
      },
    }).text()).toBe('Ingen idéer ennå')
  })

  it('speaks of ideas, not votes, on its slide', async () => {
    vi.resetModules()
    const { default: PollPanel } = await import('../../components/PollPanel.vue')
    const panel = mount(PollPanel, {
      props: {
        poll: ideer,
        print: true,
        active: false,
        presenter: false,
      },
    })
    expect(panel.find('h1').text()).toBe(ideer.question)
    expect(panel.text()).toContain('Ingen idéer ennå')
    expect(panel.text()).not.toContain('stemmer')
  })
})
