import type { Plugin, ViteDevServer } from 'vite'
import { fileURLToPath } from 'node:url'
import { createServer } from 'vite'

const configFile = fileURLToPath(new URL('./vite.config.ts', import.meta.url))

function isVotePath(url: string | undefined): boolean {
  const pathname = (url ?? '').split('?')[0]
  return pathname === '/v' || pathname!.startsWith('/v/')
}

/**
 * Serves the voting page under /v inside Slidev's dev server, from a second Vite server in middleware
 * mode (its own config, Vue and UnoCSS; no HMR socket of its own). Phones get the page as `npm start`
 * would serve it, built on the fly.
 */
export async function mountVotePage(deck: ViteDevServer): Promise<void> {
  const vote = await createServer({
    configFile,
    appType: 'spa',
    logLevel: 'warn',
    server: { middlewareMode: true, hmr: false, ws: false },
  })
  deck.middlewares.use((req, res, next) => {
    if (!isVotePath(req.url))
      return next()
    if (req.url === '/v') {
      res.writeHead(302, { location: '/v/' }).end()
      return
    }
    vote.middlewares(req, res, next)
  })
  deck.httpServer?.once('close', () => void vote.close())
}

/** `mountVotePage` as a plugin for the root vite.config.ts (read by `slidev` in dev). */
export function votePagePlugin(): Plugin {
  return {
    name: 'samskaping-vote-page',
    apply: 'serve',
    configureServer: server => mountVotePage(server),
  }
}
