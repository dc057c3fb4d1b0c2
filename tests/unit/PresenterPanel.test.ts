import type { PollStatus } from '../../polls/types.ts'
import { mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { findPoll } from '../../polls/catalog.ts'
import { snapshotStatus } from '../../polls/snapshot.ts'
import { polls } from '../fixtures/polls.ts'
import { setPageUrl } from './page-url.ts'

beforeEach(() => {
  setPageUrl('http://127.0.0.1:9/presenter/9')
  localStorage.clear()
  localStorage.setItem('samskaping:presenter-token', 'presenter-token-for-tests')
})

/** The presenter's panel as on a fresh page load (the token is read once per page), with a server that answered. */
async function mountPanel(id: string, change: Partial<PollStatus> = {}) {
  vi.resetModules()
  const { default: PresenterPanel } = await import('../../components/PresenterPanel.vue')
  const status: PollStatus = {
    ...snapshotStatus(findPoll(polls, id)!, {}),
    state: 'open',
    ...change,
  }
  return mount(PresenterPanel, {
    props: { status, live: true, unreachable: false },
    attachTo: document.body,
  })
}

function buttons(panel: Awaited<ReturnType<typeof mountPanel>>): string[] {
  return panel.findAll('button').map(button => button.text().replace(/\s+/g, ' ').trim())
}

describe('the presenter\'s panel', () => {
  it('offers an idea wall its own moderation, saying on the button how many ideas wait', async () => {
    const waiting = await mountPanel('ideer', { total: 3, ideaCount: 1, pending: 2 })
    expect(buttons(waiting)).toContain('Moderer idéer (2 venter)')
    expect(buttons(waiting)).not.toContain('Moderer svar')
    expect(buttons(await mountPanel('ideer', { pending: 0 }))).toContain('Moderer idéer')
  })

  it('opens the moderation dialog with the queue, the wall and the hidden ideas', async () => {
    const panel = await mountPanel('ideer', { pending: 1 })
    await panel.findAll('button').find(button => button.text().startsWith('Moderer idéer'))!.trigger('click')
    const dialog = panel.find('dialog')
    expect(dialog.attributes('open')).toBeDefined()
    expect(dialog.find('h2').text()).toBe('Moderer idéer')
    expect(dialog.findAll('h3').map(heading => heading.text().replace(/\s+/g, ' '))).toEqual([
      'Venter på godkjenning (0)',
      'På veggen (0)',
      'Skjult (0)',
    ])
  })

  it('keeps «Moderer svar» for typed answers', async () => {
    const words = await mountPanel('ord')
    expect(buttons(words)).toContain('Moderer svar')
    expect(buttons(words).some(label => label.startsWith('Moderer idéer'))).toBe(false)
    expect(buttons(await mountPanel('valg')).some(label => label.startsWith('Moderer'))).toBe(false)
  })
})
