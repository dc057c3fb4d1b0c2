import { defineConfig, presetWind3 } from 'unocss'

/** The voting page's own small UnoCSS: utilities only; colours come from CSS variables in base.css. */
export default defineConfig({
  presets: [
    presetWind3({ preflight: 'on-demand' }),
  ],
})
