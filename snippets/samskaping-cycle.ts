/**
 * The samskaping cycle from the slide «Kunnskap møter praksis»: three steps done together, which start again
 * after the last. `stress` is the word the slide sets in italics.
 */

export interface CycleStep {
  text: string
  stress?: string
}

export const cycleName = 'Samskapingens kretsløp i tre steg'

export const cycleSteps: readonly CycleStep[] = [
  { text: 'Dele ideer om hva problemet egentlig er\u00A0–', stress: 'sammen!' },
  { text: 'Utvikle tanker om mulige løsninger, planlegge og teste det ut\u00A0–', stress: 'sammen!' },
  { text: 'Produsere/distribuere nye løsninger', stress: 'sammen!' },
]

export const cycleRepeat = 'Etter siste steg starter kretsløpet på nytt.'
