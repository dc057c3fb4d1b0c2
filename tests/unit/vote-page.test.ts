import type { PollStatus } from '../../polls/types.ts'
import { flushPromises, mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import { findPoll } from '../../polls/catalog.ts'
import { snapshotStatus } from '../../polls/snapshot.ts'
import { VOTER_PATTERN } from '../../polls/vote.ts'
import { pollIdFromPath } from '../../vote/poll-path.ts'
import PrivacyNote from '../../vote/PrivacyNote.vue'
import VotePoll from '../../vote/VotePoll.vue'
import { voterIdFor } from '../../vote/voter-id.ts'
import { polls } from '../fixtures/polls.ts'
import { setPageUrl } from './page-url.ts'

beforeEach(() => {
  setPageUrl('http://127.0.0.1:9/v/') // no server: a vote meets a dead network
  localStorage.clear()
})

function status(id: string, change: Partial<PollStatus> = {}): PollStatus {
  return {
    ...snapshotStatus(findPoll(polls, id)!, {}),
    state: 'open',
    ...change,
  }
}

function mountPoll(id: string, change: Partial<PollStatus> = {}) {
  return mount(VotePoll, {
    props: {
      poll: findPoll(polls, id)!,
      status: status(id, change),
      voter: 'voter-test-1234',
    },
    attachTo: document.body,
  })
}

/** The names of a form's inputs as a screen reader announces them: their label, minus what is aria-hidden. */
function labelsOf(wrapper: ReturnType<typeof mount>, selector: string): string[] {
  return wrapper.findAll(selector).map((input) => {
    const label = input.element.closest('label')!.cloneNode(true) as HTMLElement
    label.querySelectorAll('[aria-hidden="true"]').forEach(hidden => hidden.remove())
    return label.textContent!.replace(/\s+/g, ' ').trim()
  })
}

async function waitForStatus(wrapper: ReturnType<typeof mount>): Promise<string> {
  for (let attempt = 0; attempt < 50 && !wrapper.find('[role="status"]').text(); attempt++) {
    await new Promise(resolve => setTimeout(resolve, 20))
    await flushPromises()
  }
  return wrapper.find('[role="status"]').text()
}

describe('the voting page form', () => {
  it('asks a choice question as one labelled radio group', () => {
    const form = mountPoll('valg')
    expect(form.find('fieldset legend h1').text()).toBe(findPoll(polls, 'valg')!.question)
    expect(labelsOf(form, 'input[type="radio"]')).toEqual(['Ja', 'Delvis', 'Nei'])
    expect(new Set(form.findAll('input[type="radio"]').map(input => input.attributes('name')))).toEqual(new Set(['valg']))
    expect(form.find('button[type="submit"]').text()).toBe('Send stemmen')
  })

  it('uses checkboxes for a multi-choice question', () => {
    const form = mountPoll('flervalg')
    expect(form.findAll('input[type="checkbox"]')).toHaveLength(6)
    expect(form.text()).toContain('Velg ett eller flere svar.')
  })

  it('names the ends of a scale for screen readers and shows them on screen', () => {
    const form = mountPoll('skala')
    expect(labelsOf(form, 'input[type="radio"]')).toEqual([
      '1 – Forsiktige',
      '2',
      '3',
      '4',
      '5 – Kompromissløse',
    ])
    expect(form.text()).toContain('1 = Forsiktige')
  })

  it('counts characters in the free-text answer', async () => {
    const form = mountPoll('ord')
    const input = form.find('input[type="text"]')
    expect(input.attributes('maxlength')).toBe('40')
    await input.setValue('Møter uten ungdom')
    expect(form.find(`#${input.attributes('aria-describedby')}`).text()).toBe('17 av 40 tegn')
  })

  it('asks for an answer before sending anything', async () => {
    const form = mountPoll('flervalg')
    await form.find('form').trigger('submit')
    expect(form.find('[role="status"]').text()).toBe('Velg et svar først.')
  })

  it('explains a bad answer with the server’s own rules before sending', async () => {
    const form = mountPoll('ord')
    await form.find('input[type="text"]').setValue('   ')
    await form.find('form').trigger('submit')
    expect(form.find('[role="status"]').text()).toBe('Skriv et ord eller en kort frase.')
    await form.find('input[type="text"]').setValue('\u202Eevil')
    await form.find('form').trigger('submit')
    expect(form.find('[role="status"]').text()).toBe('Teksten kan ikke inneholde kontrolltegn.')
  })

  it('says it has no contact with the server, keeps the choice, and claims nothing was received', async () => {
    const form = mountPoll('valg')
    await form.findAll('input[type="radio"]')[1]!.setValue(true)
    await form.find('form').trigger('submit')
    expect(await waitForStatus(form)).toBe('Ingen kontakt med serveren – prøv igjen.')
    expect(form.text()).not.toContain('Stemmen er mottatt')
    expect((form.findAll('input[type="radio"]')[1]!.element as HTMLInputElement).checked).toBe(true)
    expect(localStorage.getItem('samskaping:vote:valg')).toBeNull()
  })

  it('shows the vote this phone gave, ready to be changed', () => {
    localStorage.setItem('samskaping:vote:flervalg', JSON.stringify({
      choice: ['unge', 'forskere'],
      at: Date.now(),
    }))
    const form = mountPoll('flervalg', { total: 4 })
    expect(form.text()).toContain('Din stemme: Barn og unge selv, Forskere')
    expect(form.findAll('input:checked').map(input => input.attributes('value'))).toEqual(['unge', 'forskere'])
    expect(form.find('button[type="submit"]').text()).toBe('Endre stemmen')
  })

  it('locks the form when the poll is closed', () => {
    const form = mountPoll('valg', { state: 'closed' })
    expect(form.find('fieldset').attributes('disabled')).toBeDefined()
    expect(form.find('button[type="submit"]').exists()).toBe(false)
    expect(form.text()).toContain('Avstemningen er stengt.')
  })

  it('shows the quiz answer once revealed, and whether this phone got it right', () => {
    localStorage.setItem('samskaping:vote:quiz', JSON.stringify({
      choice: 'dugnad',
      at: Date.now(),
    }))
    expect(mountPoll('quiz', { state: 'closed', total: 3 }).text()).not.toContain('Riktig svar')
    const revealed = mountPoll('quiz', {
      state: 'closed',
      revealed: true,
      correct: 'dugnad',
      total: 3,
    })
    expect(revealed.text()).toContain('Riktig svar: Dugnad – du svarte riktig!')
  })

  it('forgets a remembered vote when the presenter has reset the poll', async () => {
    localStorage.setItem('samskaping:vote:valg', JSON.stringify({ choice: 'ja', at: Date.now() - 60_000 }))
    const form = mountPoll('valg', { total: 5 })
    expect(form.text()).toContain('Din stemme: Ja')
    await form.setProps({
      status: status('valg', { total: 0 }),
    })
    expect(form.text()).not.toContain('Din stemme')
    expect(localStorage.getItem('samskaping:vote:valg')).toBeNull()
  })
})

describe('the voting page around the form', () => {
  it('follows the presenter on /v and opens one poll on /v/<id>', () => {
    expect(pollIdFromPath('/v')).toBeUndefined()
    expect(pollIdFromPath('/v/')).toBeUndefined()
    expect(pollIdFromPath('/v/skala')).toBe('skala')
    expect(pollIdFromPath('/v/quiz/')).toBe('quiz')
  })

  it('makes up an anonymous voter id per poll, once, and keeps it', () => {
    const first = voterIdFor('valg')
    expect(first).toMatch(VOTER_PATTERN)
    expect(voterIdFor('valg')).toBe(first)
    expect(localStorage.getItem('samskaping:voter:valg')).toBe(first)
    const other = voterIdFor('skala')
    expect(other).toMatch(VOTER_PATTERN)
    expect(other).not.toBe(first)
    expect(voterIdFor('valg')).toBe(first)
  })

  it('says in plain Norwegian what is and is not stored', () => {
    const text = mount(PrivacyNote).text().replace(/\s+/g, ' ')
    expect(text).toContain('Anonymt')
    expect(text).toContain('Vi lagrer bare svaret ditt (på idéveggen: idéen din og hvilke idéer du løfter), tidspunktet rundet ned til hele minutter og et tilfeldig nummer som telefonen lager for hver avstemning, slik at du kan endre stemmen og løfte en idé bare én gang.')
    expect(text).toContain('Vi lagrer ikke navn, IP-adresse eller noe som kjennetegner telefonen eller nettleseren din.')
    expect(text).toContain('Svarene kan derfor ikke knyttes til deg.')
  })
})
