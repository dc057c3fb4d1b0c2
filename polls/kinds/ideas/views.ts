import type { PollStatus } from '../../types.ts'
import type { KindViews } from '../kind-views.ts'
import type { IdeasPoll } from './index.ts'
import type { WallIdea } from './wall-ideas.ts'
import { ideasLabel, peopleLabel } from '../../format.ts'
import IdeaWall from './IdeaWall.vue'
import { ideasPhone } from './input.ts'

/** Live, the status lists the shown ideas; the saved results (print, export, static hosting) keep them as tallies. */
function shownIdeas(status: PollStatus): WallIdea[] {
  return status.ideas
    ? status.ideas.filter(idea => (idea.state ?? 'approved') === 'approved').map(({ text, lifts }) => ({ text, lifts }))
    : Object.entries(status.tallies).map(([text, lifts]) => ({ text, lifts }))
}

export const ideasViews: KindViews<IdeasPoll> = {
  ...ideasPhone,
  Result: IdeaWall,
  resultProps: status => ({
    ideas: shownIdeas(status),
    shared: status.ideaCount,
    pending: status.pending,
  }),
  wording: {
    open: 'Åpen for idéer',
    count: status => `${ideasLabel(status.ideaCount ?? Object.keys(status.tallies).length)} fra ${peopleLabel(status.total)}`,
    none: 'Ingen idéer ennå',
    setAside: ideasLabel,
  },
}
