import { defineConfig } from 'vite'
import { pollServerPlugin } from './server/vite-plugin.ts'
import { votePagePlugin } from './vote/dev.ts'

// `npm run dev` presents from Slidev's dev server: the same poll API and voting page answer on its origin.
export default defineConfig({
  plugins: [pollServerPlugin(), votePagePlugin()],
  server: {
    // The poll server rewrites these during a talk; reloading the deck then would interrupt the speaker.
    watch: { ignored: ['**/snippets/poll-results.json', '**/.data/**'] },
  },
})
