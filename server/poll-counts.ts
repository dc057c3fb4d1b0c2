import type { KindModule } from '../polls/kinds/kind-module.ts'
import type { IdeaStatus, PollDefinition } from '../polls/types.ts'
import type { IdeaRecord, PollStore } from './store/types.ts'
import { IDEA_STATES } from '../polls/kinds/ideas/index.ts'

/** A poll's numbers as its status and CSV are built from them. */
export interface Counted {
  /** Voters; for ideas, the people who shared or lifted one. */
  total: number
  /** Votes per tally key; for ideas, each shown (approved) idea's text → lifts. */
  tallies: Record<string, number>
  distinct: number
  /** What «Nullstill» set aside that the presenter can bring back (only asked of the current session). */
  discarded: number
  /** Ideas only: the ideas a reader may see, most lifted first, with their state for the presenter. */
  ideas?: IdeaStatus[]
  pending?: number
}

export interface CountQuery {
  /** A session's id; the current session when absent. */
  session?: number
  /** Only so many most frequent tally keys (or ideas). */
  limit?: number
  /** The presenter also sees ideas waiting for approval and hidden ones. */
  presenter: boolean
}

type CountReader = (store: PollStore, poll: PollDefinition, query: CountQuery) => Promise<Counted>

/** An idea as the API shows it; its moderation state only to the presenter. */
export function ideaStatus(idea: IdeaRecord, presenter: boolean): IdeaStatus {
  const shown = {
    id: String(idea.id),
    text: idea.text,
    lifts: idea.lifts,
  }
  return presenter
    ? { ...shown, state: idea.state }
    : shown
}

/** Where each kind's numbers come from (KindModule.counts). */
export const countReaders: Record<KindModule<PollDefinition>['counts'], CountReader> = {
  async votes(store, poll, { session, limit }) {
    const [counted, discarded] = await Promise.all([
      store.tallies(poll.id, { session, limit }),
      session === undefined
        ? store.discardedVoters(poll.id)
        : 0,
    ])
    return { ...counted, discarded }
  },

  async ideas(store, poll, { session, presenter, limit }) {
    const wall = await store.ideaWall(poll.id, {
      session,
      states: presenter
        ? IDEA_STATES
        : ['approved'],
    })
    const approved = wall.ideas.filter(idea => idea.state === 'approved')
    const shown = limit === undefined
      ? wall.ideas
      : wall.ideas.slice(0, limit)
    return {
      total: wall.people,
      tallies: Object.fromEntries(shown.filter(idea => idea.state === 'approved').map(idea => [idea.text, idea.lifts])),
      distinct: approved.length,
      discarded: session === undefined
        ? wall.discarded
        : 0,
      ideas: shown.map(idea => ideaStatus(idea, presenter)),
      pending: wall.pending,
    }
  },
}
