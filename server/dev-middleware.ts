import type { IncomingMessage, ServerResponse } from 'node:http'
import type { PollServerConfig } from './config.ts'
import type { JoinOptions } from './http.ts'
import type { PollServer } from './poll-server.ts'
import process from 'node:process'
import { getRequestListener } from '@hono/node-server'
import { loadConfig } from './config.ts'
import { loadPolls } from './poll-definitions.ts'
import { createPollServer } from './poll-server.ts'

export type ConnectMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void

export interface PollApiMiddleware extends ConnectMiddleware {
  config: PollServerConfig
  /** Closes event streams and the database, if they were opened. */
  close: () => Promise<void>
}

export interface PollApiMiddlewareOptions {
  env?: Record<string, string | undefined>
  cwd?: string
  /** Where phones reach the dev server; defaults to the configured HOST/PORT/PUBLIC_URL. */
  join?: () => JoinOptions
}

/**
 * The poll API for a Connect-style server such as Vite's dev server: handles /api/* with the same Hono app
 * as `npm start` and passes everything else on. The database opens on the first API request.
 */
export function pollApiMiddleware(options: PollApiMiddlewareOptions = {}): PollApiMiddleware {
  const config = loadConfig(options.env ?? process.env, options.cwd ?? process.cwd())
  let listener: Promise<{ server: PollServer, listen: ReturnType<typeof getRequestListener> }> | undefined

  const middleware: ConnectMiddleware = (req, res, next) => {
    const url = req.url ?? '/'
    if (url !== '/api' && !url.startsWith('/api/') && !url.startsWith('/api?')) {
      next()
      return
    }
    listener ??= loadPolls(config.pollDefinitions).then(async (definitions) => {
      const server = await createPollServer(config, definitions, options.join)
      return {
        server,
        listen: getRequestListener(server.app.fetch, { overrideGlobalObjects: false }),
      }
    })
    listener.then(({ listen }) => listen(req, res)).catch(next)
  }

  return Object.assign(middleware, {
    config,
    close: async () => {
      const opened = listener
      listener = undefined
      await (await opened)?.server.close()
    },
  })
}
