/**
 * The talk's three paradigms (logics) for inclusion and youth participation, from the slide
 * «Tre paradigmer (logikker) for inkludering og ung deltakelse». The table shows the short form of
 * each aspect (the row label completes it: «Befolkningen: Tall»); `details` holds the slide's full
 * wording, which the speaker notes carry.
 */

export type ParadigmAspect = 'population' | 'organisation' | 'ideals' | 'innovation' | 'power'

export interface Paradigm {
  id: 'planlegging' | 'npm' | 'samskaping'
  name: string
  /** How the paradigm sees the population. */
  population: string
  organisation: string
  ideals: string
  innovation: string
  /** What power rests on. */
  power: string
  /** The slide's further descriptors of the paradigm, in its own words. */
  details: string[]
}

export const aspectLabels: Record<ParadigmAspect, string> = {
  population: 'Befolkningen',
  organisation: 'Organisasjonsmodell',
  ideals: 'Idealer',
  innovation: 'Innovasjon',
  power: 'Makt',
}

export const aspects = Object.keys(aspectLabels) as ParadigmAspect[]

export const paradigms: readonly Paradigm[] = [
  {
    id: 'planlegging',
    name: 'Planlegging',
    population: 'Grupper og segmenter',
    organisation: 'Byråkrati',
    ideals: 'Ekspertise og gode planer',
    innovation: 'Ofte lite',
    power: 'Posisjon',
    details: [
      'Befolkningen: «de unge», arbeidsløse, trafikkoffer, ensomme …',
      'Ofte lite innovasjon.',
      'Underbygger ekspertvelde og embetsmannsvelde.',
    ],
  },
  {
    id: 'npm',
    name: 'New Public Management',
    population: 'Tall',
    organisation: 'Foretaket',
    ideals: 'Rasjonalitet og effektivitet',
    innovation: 'Lite i komplekse systemer',
    power: 'Kapital (bunnlinje)',
    details: [
      'Befolkningen er tall.',
      'Politikk er utgiftsposter.',
      'Alle komponenter må kunne håndteres og kontrolleres hver for seg.',
      'Kontroll og kalkyle.',
      'Rasjonalisering, effektivisering, bestilling og besparing.',
      'Lite innovasjon i komplekse systemer, men god kontroll på enkeltinnsatsfaktorer.',
    ],
  },
  {
    id: 'samskaping',
    name: 'Samskaping',
    population: 'Individer og grupper med komplementære kompetanser',
    organisation: 'Nettverk',
    ideals: 'Partnerskap med involvering av målgruppe/pårørende',
    innovation: 'Ofte kreativt (overraskende)',
    power: 'Medvirkning',
    details: [
      'Co-creation / samskaping.',
      'Kan være vanskelig å implementere – og i så fall er det lite innovativt.',
    ],
  },
]
