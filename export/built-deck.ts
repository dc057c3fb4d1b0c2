/**
 * The export prints the deck viewers get: dist/ from `npm run build`. It is built first when it is missing, older
 * than any source, or holds other poll results than the ones this export is to show.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import process from 'node:process'
import { bakedResults } from '../plugins/poll-snapshot.ts'
import { run } from '../scripts/run.ts'

/** What the build reads: a change to any of these makes dist/ stale. */
const SOURCES = [
  'slides.md',
  'slide-top.vue',
  'index.html',
  'components',
  'composables',
  'layouts',
  'plugins',
  'setup',
  'styles',
  'snippets',
  'polls',
  'vote',
  'handout',
  'reading',
  'results',
  'public',
  'uno.config.ts',
  'vite.config.ts',
  'package-lock.json',
]

/** The snapshot of results a build copies next to the deck, so a later export can tell which results it shows. */
export const BUILT_RESULTS_FILE = 'poll-results.json'

function newestChange(path: string): number {
  if (!existsSync(path))
    return 0
  const info = statSync(path)
  if (!info.isDirectory())
    return info.mtimeMs
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestChange(join(path, entry))), info.mtimeMs)
}

/** Why dist/ must be built again, or undefined when it is current. */
export function staleReason(distDir: string, snapshotFile: string, root = process.cwd()): string | undefined {
  const index = join(distDir, 'index.html')
  if (!existsSync(index))
    return `${distDir}/ finnes ikke`
  const builtAt = statSync(index).mtimeMs
  const changed = SOURCES.find(source => newestChange(resolve(root, source)) > builtAt)
  if (changed)
    return `${changed} er endret etter forrige bygg`
  const built = join(distDir, BUILT_RESULTS_FILE)
  if (!existsSync(built) || readFileSync(built, 'utf8') !== bakedResults(snapshotFile))
    return `avstemningsresultatene i ${snapshotFile} er ikke de bygget viser`
  return undefined
}

/** Builds dist/ when it is stale; says so, since a build adds half a minute to the export. */
export async function ensureBuilt(distDir: string, snapshotFile: string): Promise<void> {
  const reason = staleReason(distDir, snapshotFile)
  if (!reason)
    return
  console.warn(`Bygger presentasjonen først (${reason}) …`)
  await run(process.execPath, [
    resolve(import.meta.dirname, '../scripts/build.ts'),
  ], {
    OUT_DIR: distDir,
    POLL_SNAPSHOT: snapshotFile,
  })
}

/** The path the deck was built for (BASE), read from its own index.html so the export serves it where it expects. */
export function builtBase(distDir: string): string {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8')
  const entry = html.match(/<script[^>]+src="([^"]*)assets\/[^"]+\.js"/)
  return entry?.[1] || '/'
}
