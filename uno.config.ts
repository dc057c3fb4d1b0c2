import type { ModeColors } from './styles/palette.ts'
import { defineConfig } from 'unocss'
import { palette } from './styles/palette.ts'

// Slidev merges this file into its own UnoCSS config: add colours and shortcuts only, no presets.

function cssVariables(colors: ModeColors): string {
  return Object.entries(colors).map(([name, value]) => `--sesam-${name}:${value};`).join('')
}

const colorNames = Object.keys(palette.light) as (keyof ModeColors)[]

export default defineConfig({
  theme: {
    colors: Object.fromEntries(colorNames.map(name => [name, `var(--sesam-${name})`])),
  },
  preflights: [
    {
      getCSS: () => [
        `:root{${cssVariables(palette.light)}--slidev-theme-primary:${palette.light.fjord};}`,
        `html.dark{${cssVariables(palette.dark)}--slidev-theme-primary:${palette.dark.fjord};}`,
      ].join('\n'),
    },
  ],
  shortcuts: {
    // Text on an accent fill uses the page colour: it is the contrasting one in both modes.
    'on-fjord': 'bg-fjord text-paper',
    'on-glod': 'bg-glod text-paper',
    'kicker': 'text-[1.25rem] font-700 uppercase tracking-[0.14em] text-fjord',
    'accent-rule': 'block h-1.5 w-24 rounded-full bg-fjord',
    'card': 'rounded-xl bg-surface px-6 py-4',
    'byline': 'text-[1.5rem] text-muted',
  },
})
