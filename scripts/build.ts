/**
 * `npm run build`: the deck as a static SPA in dist/ (under BASE, default /), and the phone voting page
 * in dist/vote/, which `npm start` serves at /v.
 */
import process from 'node:process'
import { bin, run } from './run.ts'

const base = process.env.BASE ?? '/'

await run(bin('slidev'), ['build', '--out', 'dist', '--base', base])
await run(bin('vite'), ['build', '--config', 'vote/vite.config.ts', '--outDir', 'dist/vote', '--emptyOutDir'])
