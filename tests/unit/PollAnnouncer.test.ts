import { mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import PollAnnouncer from '../../components/PollAnnouncer.vue'

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('pollAnnouncer', () => {
  it('is a polite live region that stays quiet until something changes', () => {
    const announcer = mount(PollAnnouncer, {
      props: { text: 'Avstemningen er åpen. 0 stemmer.' },
    })
    expect(announcer.attributes('aria-live')).toBe('polite')
    expect(announcer.text()).toBe('')
  })

  it('announces at most once per interval, then the latest count', async () => {
    const announcer = mount(PollAnnouncer, {
      props: { text: '0 stemmer', intervalMs: 5000 },
    })
    await announcer.setProps({ text: '1 stemme' })
    expect(announcer.text()).toBe('1 stemme')
    for (const count of [2, 3, 4, 5]) {
      vi.advanceTimersByTime(500)
      await announcer.setProps({ text: `${count} stemmer` })
    }
    expect(announcer.text()).toBe('1 stemme')
    vi.advanceTimersByTime(3000)
    await nextTick()
    expect(announcer.text()).toBe('5 stemmer')
  })
})
