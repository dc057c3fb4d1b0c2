/**
 * `npm start`: the built deck, the voting page and the poll API on one port.
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { PollAppEnv } from './http.ts'
import { existsSync } from 'node:fs'
import { join, relative } from 'node:path'
import process from 'node:process'
import { parseArgs } from 'node:util'
import { serve } from '@hono/node-server'
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response'
import { Hono } from 'hono'
import { loadConfig } from './config.ts'
import { joinUrl } from './http.ts'
import { loadPolls } from './poll-definitions.ts'
import { createPollServer } from './poll-server.ts'
import { withoutPassword } from './redact-url.ts'
import { securityHeaders } from './security-headers.ts'
import { createStaticHandler } from './static.ts'
import { localOrigin } from './venue-addresses.ts'
import { checkVenue } from './venue-check.ts'
import { venueText } from './venue-text.ts'

function configOrExit(): ReturnType<typeof loadConfig> {
  try {
    return loadConfig()
  }
  catch (error) {
    console.error(`Feil i innstillingene: ${(error as Error).message}`)
    process.exit(1)
  }
}

const config = configOrExit()

/** `npm start -- --session "Arendalsuka 2027"`: the presentation the votes of this run belong to. */
function sessionFromArguments(): string | undefined {
  try {
    const name = parseArgs({
      options: {
        session: { type: 'string' },
      },
      strict: true,
    }).values.session?.trim()
    if (name === '')
      throw new Error('--session trenger et navn, for eksempel --session "Arendalsuka 2027".')
    return name
  }
  catch (error) {
    console.error(`Feil i argumentene: ${(error as Error).message}`)
    process.exit(1)
  }
}

const sessionName = sessionFromArguments()

if (!existsSync(join(config.distDir, 'index.html'))) {
  console.error(`Fant ikke den bygde presentasjonen i ${config.distDir}.\nKjør «npm run build» først, og deretter «npm start».`)
  process.exit(1)
}

// The port the server ended up on (PORT=0 picks a free one), for the voting page's address.
let listeningPort = config.port
const joinOptions = () => ({ publicUrl: config.publicUrl, host: config.host, port: listeningPort })

// eslint-disable-next-line antfu/no-top-level-await -- the entry point: nothing listens before the polls are known
const pollServer = await createPollServer(config, await loadPolls(config.pollDefinitions), joinOptions).catch((error: unknown) => {
  // A database the server must not open (e.g. from a newer version) is a message to the speaker, not a crash.
  console.error(`Avstemningstjeneren kunne ikke starte: ${error instanceof Error
    ? error.message
    : String(error)}`)
  process.exit(1)
})
const serveStatic = createStaticHandler(config.distDir)

/**
 * A restart with the same name goes on with that session; another name starts a new one. A current session in
 * which no poll was ever opened (the one a fresh database starts with) gives way to the named one.
 */
async function openSession(name: string | undefined): Promise<{ name: string }> {
  const session = await pollServer.store.currentSession()
  if (name === undefined || name === session.name)
    return session
  const unused = (await pollServer.store.allStates(session.id)).size === 0
  const started = await pollServer.service.startSession(name)
  if (unused)
    await pollServer.service.deleteSession(session.id)
  return started
}

// eslint-disable-next-line antfu/no-top-level-await -- the entry point: the session is known before anything listens
const currentSession = await openSession(sessionName)

let stopping = false
const app = new Hono<PollAppEnv>()
app.use('*', securityHeaders)
// While stopping, every answer closes its connection, so a proxy's kept-alive connection moves to another node.
app.use('*', async (c, next) => {
  await next()
  if (stopping && c.res !== RESPONSE_ALREADY_SENT)
    c.header('connection', 'close')
})
app.route('/', pollServer.app)
app.get('*', c => serveStatic(c.req.raw))

function printStart(port: number): void {
  const origin = localOrigin(config.host, port)
  const tokenNote = {
    env: 'fra POLL_TOKEN',
    file: `lagret i ${relative(process.cwd(), join(config.dbFile, '..', 'poll-token'))}`,
    generated: `ny, lagret i ${relative(process.cwd(), join(config.dbFile, '..', 'poll-token'))}`,
  }[config.tokenSource]
  process.stdout.write(`${[
    'Avstemningstjeneren kjører.',
    `  Presentasjon: ${origin}/`,
    `  Presentatør:  ${origin}/presenter/1?token=${encodeURIComponent(config.token)}`,
    `  Økt:          ${currentSession.name}`,
    `  Stemmeside:   ${joinUrl(joinOptions())}`,
    config.storeUrl
      ? `  Database:     ${withoutPassword(config.storeUrl)} (nøkkel ${tokenNote})`
      : `  Database:     ${relative(process.cwd(), config.dbFile) || config.dbFile} (nøkkel ${tokenNote})`,
    config.trustProxy.length > 0 && !config.publicUrl
      ? '  TRUST_PROXY er satt, men ikke PUBLIC_URL: QR-koden viser tjenerens egen adresse, ikke proxyens. Sett PUBLIC_URL til adressen telefonene bruker.'
      : '',
  ].filter(Boolean).join('\n')}\n`)
}

/** The venue check in short, after the start message: which addresses answer, the QR code, advice. */
async function printVenue(port: number): Promise<void> {
  const report = await checkVenue({
    host: config.host,
    port,
    publicUrl: config.publicUrl,
    pollServer: process.env.POLL_SERVER?.trim() || undefined,
  })
  if (!stopping)
    process.stdout.write(`\n${venueText(report, 'short')}`)
}

const server = serve({
  fetch: app.fetch,
  port: config.port,
  hostname: config.host,
  // Slow clients (a byte every few seconds) are dropped instead of holding a connection for Node's 5 minutes.
  serverOptions: {
    headersTimeout: config.timeouts.headersMs,
    requestTimeout: config.timeouts.requestMs,
    connectionsCheckingInterval: Math.min(1000, config.timeouts.headersMs),
  },
}, (info: AddressInfo) => {
  listeningPort = info.port
  printStart(info.port)
  void printVenue(info.port)
}) as Server

server.on('error', (error: NodeJS.ErrnoException) => {
  console.error(error.code === 'EADDRINUSE'
    ? `Port ${config.port} er allerede i bruk. Velg en annen med PORT=….`
    : `Tjeneren kunne ikke starte: ${error.message}`)
  void pollServer.close().finally(() => process.exit(1))
})

/** Within this, the process has exited, whatever is still open (orchestrators kill at 10 s). */
const EXIT_WITHIN_MS = 9000
/** Requests still running this long after the signal are cut off, leaving time to close the store. */
const CUT_OFF_AFTER_MS = 7000

/**
 * SIGTERM (a rolling restart, `docker stop`): /readyz turns 503 at once and the port is closed, so the balancer
 * sends new work elsewhere; requests already here finish (a vote that is answered is stored); event streams are
 * told to reconnect, which lands them on another node; then the store closes.
 */
async function shutdown(signal: string): Promise<void> {
  if (stopping)
    return
  stopping = true
  process.stdout.write(`\n${signal}: avslutter …\n`)
  setTimeout(() => {
    console.error(`Avsluttet ikke innen ${EXIT_WITHIN_MS / 1000} s; stopper nå.`)
    process.exit(1)
  }, EXIT_WITHIN_MS).unref()
  pollServer.drain()
  const closed = new Promise<void>(resolve => server.close(() => resolve()))
  pollServer.hub.close()
  server.closeIdleConnections()
  const cutOff = setTimeout(() => server.closeAllConnections(), CUT_OFF_AFTER_MS)
  await closed
  clearTimeout(cutOff)
  await pollServer.close()
  process.exit(0)
}

process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))
