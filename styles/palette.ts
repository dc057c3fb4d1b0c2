/**
 * The deck's colours, one set per colour mode. Single source for uno.config.ts (CSS variables and
 * shortcuts), the samskaping cycle and the contrast test: every text colour must reach 4.5:1 against
 * both `paper` and `surface` of its own mode.
 */

export interface ModeColors {
  /** Slide background. */
  paper: string
  /** Cards, table headers and other raised areas. */
  surface: string
  /** Body text. */
  ink: string
  /** Secondary text: names, sources, labels. */
  muted: string
  /** Primary accent (SESAM teal): headings, links, samskaping. */
  fjord: string
  /** Warm accent: contrasts, the old habit, dugnad. */
  glod: string
  /** Third accent: highlights and checkmarks. */
  sol: string
}

export const palette = {
  light: {
    paper: '#fbfaf6',
    surface: '#eef2ef',
    ink: '#1b2423',
    muted: '#4c5857',
    fjord: '#0b5f5a',
    glod: '#a8361c',
    sol: '#775300',
  },
  dark: {
    paper: '#111a1a',
    surface: '#1b2828',
    ink: '#e9efed',
    muted: '#aab8b5',
    fjord: '#63d2c6',
    glod: '#ff9a7d',
    sol: '#f2c65a',
  },
} as const satisfies Record<'light' | 'dark', ModeColors>

/** Text colours that must stay readable on both backgrounds of their mode. */
export const textColors = ['ink', 'muted', 'fjord', 'glod', 'sol'] as const satisfies readonly (keyof ModeColors)[]

/** Fill colour of the cycle diagram's boxes (both modes) and the text on it. */
export const diagram = {
  fill: '#0b5f5a',
  text: '#ffffff',
  line: '#7b8d8a',
} as const
