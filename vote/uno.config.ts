import { defineConfig, presetWind3 } from 'unocss'
import { voteColorCss } from './colors.ts'

/** The voting page's own small UnoCSS: utilities, and the deck's colours as CSS variables (vote/colors.ts). */
export default defineConfig({
  presets: [
    // `dark:` follows the phone's colour scheme (the deck's motif blends differently on a dark page).
    presetWind3({ preflight: 'on-demand', dark: 'media' }),
  ],
  preflights: [
    { getCSS: voteColorCss },
  ],
})
