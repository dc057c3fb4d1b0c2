/**
 * `npm run preview`: serves dist/ under BASE the way a static host does (no poll server), to check a hosted build.
 */
import process from 'node:process'
import { createStaticHandler } from '../server/static.ts'
import { serveFetch } from './serve-fetch.ts'

const base = process.env.BASE ?? '/'
const server = await serveFetch(createStaticHandler(process.env.DIST_DIR ?? 'dist'), {
  base,
  port: Number(process.env.PORT ?? 4173),
})
console.log(`Deck (static, no poll server): ${server.url}/`)
