/** What the phone makes of an idea wall: its list with this phone's own ideas and lifts, and what to say when a request fails. */
import type { IdeaStatus } from '../../types.ts'
import { rankIdeas } from './wall-ideas.ts'

/** What a phone keeps of an idea wall (the server stores no author, and tells no phone what it lifted). */
export interface IdeaMemory {
  /** The ideas this phone shared, as the server confirmed them: id → text. */
  mine: Record<string, string>
  /** The ideas this phone lifts; its own among them (the server counts the author's lift). */
  lifted: string[]
  /** When the server last confirmed something (ms since epoch). */
  at: number
}

export const emptyMemory: IdeaMemory = { mine: {}, lifted: [], at: 0 }

/** An idea in the phone's list. */
export interface PhoneIdea {
  id: string
  text: string
  lifts: number
  mine: boolean
  lifted: boolean
}

/** The ideas on the wall (approved), most lifted first as on the slide, with this phone's marks. */
export function phoneIdeas(ideas: readonly IdeaStatus[] | undefined, memory: IdeaMemory): PhoneIdea[] {
  return rankIdeas((ideas ?? []).filter(idea => (idea.state ?? 'approved') === 'approved')).map(idea => ({
    id: idea.id,
    text: idea.text,
    lifts: idea.lifts,
    mine: idea.id in memory.mine,
    lifted: memory.lifted.includes(idea.id),
  }))
}

/** This phone's ideas not on the wall: waiting for the presenter's approval (or hidden, which the phone is not told). */
export function waitingIdeas(ideas: readonly IdeaStatus[] | undefined, memory: IdeaMemory): { id: string, text: string }[] {
  const shown = new Set(phoneIdeas(ideas, memory).map(idea => idea.id))
  return Object.entries(memory.mine)
    .filter(([id]) => !shown.has(id))
    .map(([id, text]) => ({ id, text }))
}

/** A phone's memory as read back from storage; anything else (an old or damaged entry) reads as empty. */
export function parseMemory(raw: string): IdeaMemory {
  const value = JSON.parse(raw) as Partial<IdeaMemory> | null
  const mine = value?.mine
  const lifted = value?.lifted
  if (!mine || typeof mine !== 'object' || !Array.isArray(lifted))
    return emptyMemory
  return {
    mine: Object.fromEntries(Object.entries(mine).filter(([, text]) => typeof text === 'string')),
    lifted: lifted.filter(id => typeof id === 'string'),
    at: typeof value.at === 'number'
      ? value.at
      : 0,
  }
}

/** What a person is told when the server did not take an idea or a lift; it says what to do next. */
export function ideaProblem(action: 'share' | 'lift', status: number, serverMessage?: string): string {
  switch (status) {
    case 0: return 'Ingen kontakt med serveren – prøv igjen.'
    case 400: return serverMessage ?? 'Idéen ble ikke godtatt. Sjekk den og prøv igjen.'
    case 404: return action === 'share'
      ? 'Fant ikke idéveggen. Last inn siden på nytt.'
      : 'Fant ikke idéen. Den er kanskje skjult av presentatøren.'
    // Closed, or (sharing) a full wall: the server's message says which.
    case 409: return serverMessage ?? 'Idéveggen er stengt.'
    case 413: return 'Idéen er for lang.'
    case 429: return action === 'share'
      ? 'Du har nettopp delt en idé. Vent litt før du deler en til.'
      : 'For mange løft på kort tid – vent litt og prøv igjen.'
    default: return 'Det ble ikke lagret. Prøv igjen om litt.'
  }
}
