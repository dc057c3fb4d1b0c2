/**
 * The voting page's colours: the deck's palette (styles/palette.ts) under the names the phone's controls use, so a
 * person who scans the QR code lands on a page in the talk's colours, light or dark as their phone is set.
 */
import type { ModeColors } from '../styles/palette.ts'
import { palette } from '../styles/palette.ts'

export interface VoteColors {
  'paper': string
  /** Raised areas: a chosen answer. */
  'chosen': string
  'ink': string
  'muted': string
  /** Headings, the send button, a chosen answer's border. */
  'accent': string
  /** Text on the accent fill. */
  'on-accent': string
  /** Borders of answers and fields: at least 3:1 against the page. */
  'line': string
  /** A vote the server confirmed. */
  'ok': string
  'danger': string
  /** The keyboard focus ring, as on the deck's links. */
  'focus': string
}

export function voteColors(mode: ModeColors): VoteColors {
  return {
    'paper': mode.paper,
    'chosen': mode.surface,
    'ink': mode.ink,
    'muted': mode.muted,
    'accent': mode.fjord,
    'on-accent': mode.paper,
    'line': mode.muted,
    'ok': mode.fjord,
    'danger': mode.glod,
    'focus': mode.sol,
  }
}

function variables(colors: VoteColors): string {
  return Object.entries(colors).map(([name, value]) => `--${name}:${value};`).join('')
}

/** The CSS variables of both schemes; the phone's setting picks one. */
export function voteColorCss(): string {
  return `:root{color-scheme:light dark;${variables(voteColors(palette.light))}}`
    + `@media (prefers-color-scheme:dark){:root{${variables(voteColors(palette.dark))}}}`
}
