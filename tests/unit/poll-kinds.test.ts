import type { PollDefinition, PollStatus } from '../../polls/types.ts'
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import PollResults from '../../components/PollResults.vue'
import { kindOf, kinds } from '../../polls/kinds/index.ts'
import { kindInputs } from '../../polls/kinds/inputs.ts'
import { kindViews } from '../../polls/kinds/views.ts'
import VotePoll from '../../vote/VotePoll.vue'

// A poll list edited by hand (or an old server) can name a kind this build does not know.
const stranger = { id: 'ukjent', kind: 'ranking', question: 'Rangér?' } as unknown as PollDefinition
const strangerStatus = {
  id: 'ukjent',
  kind: 'ranking',
  question: 'Rangér?',
  options: [],
  state: 'open',
  revealed: false,
  total: 0,
  tallies: {},
} as unknown as PollStatus

describe('poll kinds', () => {
  it('have an engine module, views and a phone input for the same kinds', () => {
    expect(Object.keys(kindViews).sort()).toEqual(Object.keys(kinds).sort())
    expect(Object.keys(kindInputs).sort()).toEqual(Object.keys(kinds).sort())
  })

  it('give the phone the same input or page the slide\'s views describe', () => {
    for (const kind of Object.keys(kinds) as (keyof typeof kinds)[]) {
      for (const [key, value] of Object.entries(kindInputs[kind]))
        expect(kindViews[kind][key as keyof typeof kindViews[typeof kind]], `${kind}.${key}`).toBe(value)
    }
  })

  it('refuse a kind no module handles instead of treating it as another', () => {
    expect(() => kindOf(stranger)).toThrow(/unknown kind «ranking»/)
  })

  it('say so on the slide and the phone for a kind no view handles', () => {
    expect(mount(PollResults, {
      props: { status: strangerStatus },
    }).find('[role="alert"]').text()).toBe('Ukjent avstemningstype «ranking».')
    const phone = mount(VotePoll, {
      props: { poll: stranger, status: strangerStatus, voter: 'voter-stranger' },
    })
    expect(phone.find('[role="alert"]').text()).toBe('Ukjent avstemningstype «ranking».')
    expect(phone.find('input').exists()).toBe(false)
  })
})
