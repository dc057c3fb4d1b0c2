import type { Plugin, ViteDevServer } from 'vite'
import { fileURLToPath } from 'node:url'
import { createServer } from 'vite'

const configFile = fileURLToPath(new URL('../vote/vite.config.ts', import.meta.url))

function isVotePath(url: string | undefined): boolean {
  const pathname = (url ?? '').split('?')[0]
  return pathname === '/v' || pathname!.startsWith('/v/')
}

/**
 * Serves the voting page under /v inside Slidev's dev server, from a second Vite server in middleware
 * mode (its own config, Vue and UnoCSS). Its HMR socket shares the deck's HTTP server at /v/, so phones
 * need no extra port and edits to vote/ reload it.
 */
export async function mountVotePage(deck: ViteDevServer): Promise<void> {
  const vote = await createServer({
    configFile,
    appType: 'spa',
    logLevel: 'warn',
    server: {
      middlewareMode: true,
      ws: deck.httpServer
        ? { server: deck.httpServer }
        : false,
      hmr: deck.httpServer !== null,
    },
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
