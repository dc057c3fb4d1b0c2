import type { AddressInfo } from 'node:net'
import type { Plugin } from 'vite'
import type { PollApiMiddlewareOptions } from '../server/dev-middleware.ts'
import type { JoinOptions } from '../server/http.ts'
import { pollApiMiddleware } from '../server/dev-middleware.ts'

/** Mounts the poll API into the dev server (`npm run dev`), so presenting from dev works like `npm start`. */
export function pollServerPlugin(options: Omit<PollApiMiddlewareOptions, 'join'> = {}): Plugin {
  return {
    name: 'samskaping-poll-server',
    apply: 'serve',
    configureServer(server) {
      let join: JoinOptions = {}
      const middleware = pollApiMiddleware({
        ...options,
        join: () => join,
      })
      server.middlewares.use(middleware)

      const httpServer = server.httpServer
      httpServer?.once('listening', () => {
        const address = httpServer.address() as AddressInfo | null
        const host = server.config.server.host
        join = {
          publicUrl: middleware.config.publicUrl,
          // Vite's own default is localhost; `--host` alone (true) listens on every interface.
          host: host === true
            ? '0.0.0.0'
            : typeof host === 'string'
              ? host
              : 'localhost',
          port: address?.port,
        }
        const origin = `http://localhost:${address?.port ?? ''}`
        server.config.logger.info(`  Avstemninger: presentatørnøkkel i ${origin}/presenter/1?token=${encodeURIComponent(middleware.config.token)}`)
      })
      httpServer?.once('close', () => void middleware.close())
    },
  }
}
