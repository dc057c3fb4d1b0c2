import process from 'node:process'
import { defineConfig } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'
import { pollServerPlugin } from './plugins/poll-server.ts'
import { pollSnapshotPlugin } from './plugins/poll-snapshot.ts'
import { slidevA11yPlugin } from './plugins/slidev-a11y.ts'
import { slimSlidevPlugin } from './plugins/slim-slidev.ts'
import { subsetFontsPlugin } from './plugins/subset-fonts.ts'
import { votePagePlugin } from './plugins/vote-page.ts'

export default defineConfig({
  // POLL_SERVER: the deck's live results and presenter actions go to this poll server (polls/poll-server.ts).
  define: {
    'import.meta.env.POLL_SERVER': JSON.stringify(process.env.POLL_SERVER?.trim() ?? ''),
  },
  plugins: [
    pollSnapshotPlugin(),
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
