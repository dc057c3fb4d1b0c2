import type { IdeaStatus, PollStatus } from '../../polls/types.ts'
import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import IdeasDialog from '../../components/IdeasDialog.vue'
import { findPoll } from '../../polls/catalog.ts'
import { snapshotStatus } from '../../polls/snapshot.ts'
import { polls } from '../fixtures/polls.ts'
import { setPageUrl } from './page-url.ts'

/** A request the page sent, answered when the test says: the order answers arrive in is the test's to choose. */
interface Sent {
  method: string
  path: string
  answer: (body: unknown) => void
}

let sent: Sent[] = []

beforeEach(() => {
  setPageUrl('http://127.0.0.1:9/presenter/9')
  sent = []
  vi.stubGlobal('fetch', (url: string, init?: RequestInit) => new Promise<Response>((resolve) => {
    sent.push({
      method: init?.method ?? 'GET',
      path: new URL(url, 'http://127.0.0.1:9').pathname,
      answer: body => resolve(new Response(JSON.stringify(body), {
        headers: { 'content-type': 'application/json' },
      })),
    })
  }))
})

afterEach(() => {
  vi.unstubAllGlobals()
})

const base = snapshotStatus(findPoll(polls, 'ideer')!, {})
function status(ideas: IdeaStatus[]): PollStatus {
  return {
    ...base,
    state: 'open',
    ideas,
    pending: ideas.filter(idea => idea.state === 'pending').length,
    ideaCount: ideas.filter(idea => idea.state === 'approved').length,
  }
}

describe('the idea moderation dialog', () => {
  it('moves the focus by the list as it ends up when the slide\'s event reads it again meanwhile', async () => {
    const waiting: IdeaStatus[] = [
      {
        id: '1',
        text: 'Siloer',
        lifts: 1,
        state: 'pending',
      },
    ]
    const approved: IdeaStatus[] = [
      { ...waiting[0]!, state: 'approved' },
    ]
    const dialog = mount(IdeasDialog, {
      props: {
        status: status(waiting),
        token: 't',
      },
      attachTo: document.body,
    })
    dialog.vm.open()
    sent.shift()!.answer(status(waiting))
    await flushPromises()

    await dialog.find('button[aria-label="Godkjenn «Siloer»"]').trigger('click')
    const approval = sent.shift()!
    expect(approval).toMatchObject({ method: 'POST', path: '/api/polls/ideer/ideas/1/state' })
    approval.answer({ ok: true })
    await flushPromises()
    const readAfterApproval = sent.shift()!
    // The slide's event for the approval comes while that read is under way: the list is read again.
    await dialog.setProps({
      status: status(approved),
    })
    const readForEvent = sent.shift()!
    expect([readAfterApproval.method, readForEvent.method]).toEqual(['GET', 'GET'])

    // The first answer is overtaken, and the focus waits for the newest.
    readAfterApproval.answer(status(approved))
    await flushPromises()
    readForEvent.answer(status(approved))
    await flushPromises()
    expect(document.activeElement?.textContent?.replace(/\s+/g, ' ').trim()).toBe('Venter på godkjenning (0)')
    dialog.unmount()
  })
})
