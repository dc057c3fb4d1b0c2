/**
 * This talk's audience polls: the questions and options the slides, the voting page and the poll server show.
 * Ids are part of URLs (/v/<id>, /api/polls/<id>) and of stored votes: never rename one after a talk.
 * A quiz's correct answer is not here (the deck and the phones load this file) but in quiz-answers.ts.
 */
import type { PollDefinition } from '../polls/types.ts'

export const polls: readonly PollDefinition[] = [
  {
    id: 'dristig',
    kind: 'scale',
    question: 'Hvor dristige er vi i partnerskapene våre i dag?',
    min: 1,
    max: 5,
    minLabel: 'Forsiktige',
    maxLabel: 'Kompromissløse',
  },
  {
    id: 'vane',
    kind: 'words',
    question: 'Hvilken vane bør vi bryte?',
  },
  {
    id: 'forstyrret',
    kind: 'choice',
    question: 'Har vi systemer, organisasjoner og rutiner for å bli «forstyrret» av andre?',
    options: [
      { id: 'ja', label: 'Ja' },
      { id: 'delvis', label: 'Delvis' },
      { id: 'nei', label: 'Nei' },
    ],
  },
  {
    id: 'paradigme',
    kind: 'choice',
    question: 'Hvilket paradigme preger organisasjonen din mest?',
    options: [
      { id: 'planlegging', label: 'Planlegging' },
      { id: 'npm', label: 'New Public Management' },
      { id: 'samskaping', label: 'Samskaping' },
    ],
  },
  {
    id: 'rundt-bordet',
    kind: 'multi',
    question: 'Hvem sitter rundt bordet når dere utvikler tiltak for barn og unge?',
    options: [
      { id: 'unge', label: 'Barn og unge selv' },
      { id: 'parorende', label: 'Foreldre og pårørende' },
      { id: 'frivillige', label: 'Frivillige' },
      { id: 'fagfolk', label: 'Fagfolk og ansatte' },
      { id: 'naringsliv', label: 'Næringslivet' },
      { id: 'forskere', label: 'Forskere' },
    ],
  },
  {
    id: 'dugnad-eller-samskaping',
    kind: 'quiz',
    question: 'Kommunen har laget en plan for en ny møteplass og inviterer ungdommene til å male veggene en lørdag. Er det samskaping eller dugnad?',
    options: [
      { id: 'samskaping', label: 'Samskaping' },
      { id: 'dugnad', label: 'Dugnad' },
    ],
  },
  {
    id: 'problemet',
    kind: 'ideas',
    question: 'Hva er egentlig problemet? Del en idé – sammen!',
    moderation: 'pre',
  },
]
