import type { Ref } from 'vue'
import type { Choice } from '../polls/types.ts'
import { ref } from 'vue'
import { sharedPollClient } from '../polls/client.ts'

export type SendOutcome = { ok: true, choice: Choice } | { ok: false }

/** What a person is told when the server did not take the vote. Messages say what to do next. */
export function voteProblem(status: number, serverMessage?: string): string {
  switch (status) {
    case 0: return 'Ingen kontakt med serveren – prøv igjen.'
    case 400: return serverMessage ?? 'Svaret ble ikke godtatt. Sjekk det og prøv igjen.'
    case 404: return 'Fant ikke avstemningen. Last inn siden på nytt.'
    case 409: return 'Avstemningen er stengt.'
    case 413: return 'Svaret er for langt.'
    case 429: return 'For mange forsøk på kort tid – vent litt og prøv igjen.'
    default: return 'Stemmen ble ikke lagret. Prøv igjen om litt.'
  }
}

/** Sends a vote; `message` is what the page says about it, `sending` while waiting for the server. */
export function useVoteSender(pollId: string, voter: string): {
  sending: Ref<boolean>
  message: Ref<{ kind: 'ok' | 'problem', text: string } | undefined>
  send: (choice: Choice) => Promise<SendOutcome>
} {
  const sending = ref(false)
  const message = ref<{ kind: 'ok' | 'problem', text: string }>()

  async function send(choice: Choice): Promise<SendOutcome> {
    sending.value = true
    message.value = undefined
    const result = await sharedPollClient().castVote(pollId, voter, choice)
    sending.value = false
    // Only the server's 201 means the vote is stored.
    if (result.status === 201) {
      message.value = { kind: 'ok', text: 'Stemmen er mottatt.' }
      const confirmed = (result.body as { choice?: Choice } | undefined)?.choice
      return { ok: true, choice: confirmed ?? choice }
    }
    message.value = {
      kind: 'problem',
      text: voteProblem(result.status, result.error),
    }
    return { ok: false }
  }

  return { sending, message, send }
}
