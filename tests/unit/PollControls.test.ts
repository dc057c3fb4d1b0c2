import type { PollStatus } from '../../polls/types.ts'
import { flushPromises, mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import PollControls from '../../components/PollControls.vue'
import { findPoll } from '../../polls/catalog.ts'
import { snapshotStatus } from '../../polls/snapshot.ts'
import { polls } from '../fixtures/polls.ts'
import { setPageUrl } from './page-url.ts'

beforeEach(() => {
  setPageUrl('http://127.0.0.1:9/presenter/9') // no server: requests fail as on a dead network
})

function status(id: string, change: Partial<PollStatus> = {}): PollStatus {
  return {
    ...snapshotStatus(findPoll(polls, id)!, {}),
    ...change,
  }
}

const buttonNames = (wrapper: ReturnType<typeof mount>) => wrapper.findAll('button').map(button => button.text())

describe('pollControls', () => {
  it('opens a closed poll and closes an open one', () => {
    expect(buttonNames(mount(PollControls, {
      props: {
        status: status('valg', { total: 3 }),
        token: 't',
      },
    })))
      .toEqual(['Åpne avstemning', 'Nullstill'])
    expect(buttonNames(mount(PollControls, {
      props: {
        status: status('valg', { state: 'open', total: 3 }),
        token: 't',
      },
    })))
      .toEqual(['Lukk', 'Nullstill'])
  })

  it('offers «Vis fasit» for a quiz, and «Skjul fasit» once shown', () => {
    expect(buttonNames(mount(PollControls, {
      props: {
        status: status('quiz'),
        token: 't',
      },
    })))
      .toEqual(['Åpne avstemning', 'Vis fasit', 'Nullstill'])
    expect(buttonNames(mount(PollControls, {
      props: {
        status: status('quiz', { revealed: true }),
        token: 't',
      },
    })))
      .toContain('Skjul fasit')
  })

  it('asks before deleting votes, and can be cancelled', async () => {
    const controls = mount(PollControls, {
      props: {
        status: status('valg', { total: 12 }),
        token: 't',
      },
      attachTo: document.body,
    })
    await controls.findAll('button').find(button => button.text() === 'Nullstill')!.trigger('click', { detail: 0 })
    expect(controls.text()).toContain('Nullstille 12 stemmer? De kan hentes tilbake.')
    expect(buttonNames(controls)).toEqual(['Ja, nullstill', 'Avbryt'])
    await flushPromises()
    expect(document.activeElement?.textContent?.trim()).toBe('Avbryt') // keyboard users land on the safe choice
    await controls.findAll('button').find(button => button.text() === 'Avbryt')!.trigger('click', { detail: 0 })
    expect(buttonNames(controls)).toEqual(['Åpne avstemning', 'Nullstill'])
    controls.unmount()
  })

  it('speaks of ideas on an idea wall: what a reset sets aside and what comes back', async () => {
    const controls = mount(PollControls, {
      props: {
        status: status('ideer', { total: 3, ideaCount: 2, discarded: 4 }),
        token: 't',
      },
    })
    expect(buttonNames(controls)).toContain('Hent tilbake 4 idéer')
    await controls.findAll('button').find(button => button.text() === 'Nullstill')!.trigger('click')
    expect(controls.text()).toContain('Nullstille 2 idéer fra 3 personer? De kan hentes tilbake.')
  })

  it('cannot reset a poll nobody has voted in', () => {
    const controls = mount(PollControls, {
      props: {
        status: status('valg'),
        token: 't',
      },
    })
    expect(controls.findAll('button').find(button => button.text() === 'Nullstill')!.attributes('disabled')).toBeDefined()
  })

  it('offers to bring back the votes a reset set aside, saying how many', () => {
    const controls = mount(PollControls, {
      props: {
        status: status('valg', { total: 1, discarded: 12 }),
        token: 't',
      },
    })
    expect(buttonNames(controls)).toEqual(['Åpne avstemning', 'Nullstill', 'Hent tilbake 12 stemmer'])
    expect(buttonNames(mount(PollControls, {
      props: {
        status: status('valg', { total: 1 }),
        token: 't',
      },
    }))).toEqual(['Åpne avstemning', 'Nullstill'])
  })

  it('says so in Norwegian when the server cannot be reached', async () => {
    const controls = mount(PollControls, {
      props: {
        status: status('valg'),
        token: 't',
      },
    })
    await controls.find('button').trigger('click')
    await flushPromises()
    await new Promise(resolve => setTimeout(resolve, 100))
    await flushPromises()
    expect(controls.find('[role="status"]').text()).toBe('Ingen kontakt med serveren – prøv igjen.')
  })
})
