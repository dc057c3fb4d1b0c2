import { resolve } from 'node:path'
import process from 'node:process'
import { defineConfig } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'
import { subsetFontsPlugin } from './plugins/subset-fonts.ts'
import { slidevA11yPlugin } from './scripts/slidev-a11y.ts'
import { slimSlidevPlugin } from './scripts/slim-slidev.ts'
import { pollServerPlugin } from './server/vite-plugin.ts'
import { votePagePlugin } from './vote/dev.ts'

export default defineConfig({
  plugins: [
    // The deck shows final poll results from the snapshot the poll server writes: POLL_SNAPSHOT when set (as for
    // the server), else snippets/poll-results.json.
    {
      name: 'samskaping-poll-snapshot',
      enforce: 'pre',
      resolveId(source) {
        const snapshot = process.env.POLL_SNAPSHOT
        return snapshot && source.endsWith('/snippets/poll-results.json')
          ? resolve(snapshot)
          : null
      },
    },
    // Slidev features no slide uses stay out of the build, so slide 1 loads within its budget (BENCHMARKS.md).
    ...slimSlidevPlugin(),
    subsetFontsPlugin(),
    // Slidev's navigation bar menus nest a button in a button; the presenter view must meet WCAG 2.1 AA.
    slidevA11yPlugin(),
    // `npm run dev` presents from Slidev's dev server: the same poll API and voting page answer on its origin.
    pollServerPlugin(),
    votePagePlugin(),
    // The hosted deck keeps working offline after the first visit: a service worker precaches every slide.
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script-defer',
      // Relative URLs, so the manifest works wherever the deck is hosted (BASE / --base).
      manifest: {
        name: 'Partnerskap for inkludering og ung deltakelse',
        short_name: 'Samskaping',
        description: 'Foredrag fra SESAM ved Universitetet i Sørøst-Norge om samskaping, nye partnerskap og ung deltakelse.',
        lang: 'nb',
        start_url: '.',
        scope: '.',
        display: 'fullscreen',
        theme_color: '#0b5f5a',
        background_color: '#fbfaf6',
        icons: [
          {
            src: 'favicon.svg',
            sizes: 'any',
            type: 'image/svg+xml',
            purpose: 'any',
          },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,woff2,svg,png}'],
        globIgnores: ['vote/**', 'og-image.png'],
        maximumFileSizeToCacheInBytes: 5 * 1024 * 1024,
        // Take over the page that installed it, so a first visit is enough to go offline.
        clientsClaim: true,
        navigateFallback: 'index.html',
        // The poll server's own pages must reach the network, never the deck's shell.
        navigateFallbackDenylist: [/\/api\//, /\/v(?:\/|$)/],
      },
    }),
  ],
  server: {
    // The poll server rewrites these during a talk; reloading the deck then would interrupt the speaker.
    watch: {
      ignored: ['**/snippets/poll-results.json', '**/.data/**'],
    },
  },
})
