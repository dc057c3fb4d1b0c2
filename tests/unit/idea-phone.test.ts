import type { IdeaMemory } from '../../polls/kinds/ideas/phone-ideas.ts'
import type { IdeaStatus, PollStatus } from '../../polls/types.ts'
import { flushPromises, mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import { findPoll } from '../../polls/catalog.ts'
import { emptyMemory, ideaProblem, parseMemory, phoneIdeas, waitingIdeas } from '../../polls/kinds/ideas/phone-ideas.ts'
import { snapshotStatus } from '../../polls/snapshot.ts'
import VotePoll from '../../vote/VotePoll.vue'
import { polls } from '../fixtures/polls.ts'
import { setPageUrl } from './page-url.ts'

const wall: IdeaStatus[] = [
  { id: '3', text: 'Ingen eier helheten', lifts: 2 },
  { id: '1', text: 'Ungdommene blir ikke spurt', lifts: 5 },
  { id: '7', text: 'Vi måler feil ting', lifts: 2 },
]

function remember(pollId: string, memory: Partial<IdeaMemory>): void {
  localStorage.setItem(`samskaping:ideas:${pollId}`, JSON.stringify({
    ...emptyMemory,
    at: Date.now() - 60_000,
    ...memory,
  }))
}

function status(id: string, change: Partial<PollStatus> = {}): PollStatus {
  return {
    ...snapshotStatus(findPoll(polls, id)!, {}),
    state: 'open',
    total: 4,
    ideas: wall,
    ...change,
  }
}

function mountWall(id = 'ideer', change: Partial<PollStatus> = {}) {
  return mount(VotePoll, {
    props: {
      poll: findPoll(polls, id)!,
      status: status(id, change),
      voter: 'voter-test-1234',
    },
    attachTo: document.body,
  })
}

/** A lift button's state and its name as a screen reader announces it. */
function liftButtons(page: ReturnType<typeof mount>): { name: string, pressed: string | undefined }[] {
  return page.findAll('button[aria-pressed]').map(button => ({
    name: button.text().replace(/\s+/g, ' ').trim(),
    pressed: button.attributes('aria-pressed'),
  }))
}

async function settle(page: ReturnType<typeof mount>, selector: string): Promise<string> {
  for (let attempt = 0; attempt < 50 && !page.find(selector).text(); attempt++) {
    await new Promise(resolve => setTimeout(resolve, 20))
    await flushPromises()
  }
  return page.find(selector).text()
}

beforeEach(() => {
  setPageUrl('http://127.0.0.1:9/v/') // no server: a request meets a dead network
  localStorage.clear()
})

describe('the idea wall on the phone: its list', () => {
  it('lists the approved ideas most lifted first, marking this phone\'s own and its lifts', () => {
    const memory = {
      mine: { 7: 'Vi måler feil ting', 9: 'Venter ennå' },
      lifted: ['7', '1'],
      at: 1,
    }
    expect(phoneIdeas([
      ...wall,
      {
        id: '9',
        text: 'Venter ennå',
        lifts: 1,
        state: 'pending',
      },
    ], memory)).toEqual([
      {
        id: '1',
        text: 'Ungdommene blir ikke spurt',
        lifts: 5,
        mine: false,
        lifted: true,
      },
      {
        id: '3',
        text: 'Ingen eier helheten',
        lifts: 2,
        mine: false,
        lifted: false,
      },
      {
        id: '7',
        text: 'Vi måler feil ting',
        lifts: 2,
        mine: true,
        lifted: true,
      },
    ])
    expect(waitingIdeas(wall, memory)).toEqual([
      { id: '9', text: 'Venter ennå' },
    ])
  })

  it('reads a damaged or foreign memory as empty', () => {
    expect(parseMemory('null')).toEqual(emptyMemory)
    expect(parseMemory('{"mine":"x","lifted":[]}')).toEqual(emptyMemory)
    expect(parseMemory('{"mine":{"1":"a","2":3},"lifted":["1",2]}')).toEqual({
      mine: { 1: 'a' },
      lifted: ['1'],
      at: 0,
    })
  })

  it('says in Norwegian what went wrong and what to do', () => {
    expect(ideaProblem('share', 0)).toBe('Ingen kontakt med serveren – prøv igjen.')
    expect(ideaProblem('share', 400, 'Idéen er for lang: høyst 140 tegn (nå 141).')).toBe('Idéen er for lang: høyst 140 tegn (nå 141).')
    expect(ideaProblem('share', 409, 'Idéveggen er full: den tar ikke imot flere nye idéer. Løft gjerne en som alt er der.')).toContain('Idéveggen er full')
    expect(ideaProblem('lift', 409)).toBe('Idéveggen er stengt.')
    expect(ideaProblem('share', 429)).toBe('Du har nettopp delt en idé. Vent litt før du deler en til.')
    expect(ideaProblem('lift', 429)).toBe('For mange løft på kort tid – vent litt og prøv igjen.')
    expect(ideaProblem('lift', 404)).toBe('Fant ikke idéen. Den er kanskje skjult av presentatøren.')
  })

  it('offers one toggle per idea, pressed where this phone lifted, named after the idea', () => {
    remember('ideer', {
      mine: { 7: 'Vi måler feil ting' },
      lifted: ['7'],
    })
    const page = mountWall()
    expect(page.find('h1').text()).toBe(findPoll(polls, 'ideer')!.question)
    expect(liftButtons(page)).toEqual([
      { name: 'Løft «Ungdommene blir ikke spurt»', pressed: 'false' },
      { name: 'Løft «Ingen eier helheten»', pressed: 'false' },
      { name: 'Løft «Vi måler feil ting»', pressed: 'true' },
    ])
    const mine = page.findAll('ol > li').at(-1)!
    expect(mine.text()).toContain('2 løft · Din idé')
    expect(page.findAll('ol > li').filter(item => item.text().includes('Din idé'))).toHaveLength(1)
  })

  it('keeps a lift unconfirmed when the server cannot be reached', async () => {
    const page = mountWall()
    await page.findAll('button[aria-pressed]')[0]!.trigger('click')
    expect(await settle(page, 'section [role="status"]')).toBe('Ingen kontakt med serveren – prøv igjen.')
    expect(liftButtons(page)[0]!.pressed).toBe('false')
    expect(localStorage.getItem('samskaping:ideas:ideer')).toBeNull()
  })

  it('shows this phone\'s ideas that wait, and forgets everything when the presenter resets the wall', async () => {
    remember('ideer', {
      mine: { 12: 'Min idé som venter' },
      lifted: ['12', '1'],
    })
    const page = mountWall()
    expect(page.text()).toContain('Dine idéer som ikke vises ennå')
    expect(page.text()).toContain('Min idé som venter')
    await page.setProps({
      status: status('ideer', { total: 0, ideas: [] }),
    })
    expect(page.text()).not.toContain('Min idé som venter')
    expect(localStorage.getItem('samskaping:ideas:ideer')).toBeNull()
  })

  it('locks sharing and lifting while the wall is closed', () => {
    const page = mountWall('ideer', { state: 'closed' })
    expect(page.find('fieldset').attributes('disabled')).toBeDefined()
    expect(page.find('button[type="submit"]').exists()).toBe(false)
    expect(page.findAll('button[aria-pressed]').every(button => button.attributes('disabled') !== undefined)).toBe(true)
    expect(page.text()).toContain('Idéveggen er stengt.')
  })
})

describe('the idea wall on the phone: sharing', () => {
  it('labels the field, counts its characters and tells when an idea will show', async () => {
    const page = mountWall()
    const field = page.find('textarea')
    expect(page.find(`label[for="${field.attributes('id')}"]`).text()).toBe('Din idé')
    expect(field.attributes('maxlength')).toBe('140')
    await field.setValue('Ingen spør ungdommene')
    const described = field.attributes('aria-describedby')!.split(' ').map(id => page.find(`#${id}`).text())
    expect(described).toEqual(['Idéen din vises når presentatøren har godkjent den.', '21 av 140 tegn'])
    expect(mountWall('ideer-fri').text()).toContain('Idéen din vises på veggen med en gang.')
  })

  it('explains an empty idea before sending anything', async () => {
    const page = mountWall()
    await page.find('textarea').setValue('   ')
    await page.find('form').trigger('submit')
    expect(page.find('form [role="status"]').text()).toBe('Skriv idéen din først.')
  })

  it('shares on Enter; claims nothing was shared, and keeps the text, when the server cannot be reached', async () => {
    const page = mountWall()
    await page.find('textarea').setValue('Ingen spør ungdommene')
    await page.find('textarea').trigger('keydown', { key: 'Enter' })
    expect(await settle(page, 'form [role="status"]')).toBe('Ingen kontakt med serveren – prøv igjen.')
    expect((page.find('textarea').element as HTMLTextAreaElement).value).toBe('Ingen spør ungdommene')
    expect(page.text()).not.toContain('Takk!')
    expect(localStorage.getItem('samskaping:ideas:ideer')).toBeNull()
  })
})
