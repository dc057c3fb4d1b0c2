/**
 * `npm run venue-check`: in the room, before the talk. Which addresses phones would open, whether the poll server
 * answers at each (asked from this machine), the QR code the slides show, and what to do when phones on mobile
 * data cannot get there. Uses `npm start`'s settings (HOST, PORT, PUBLIC_URL; POLL_SERVER for a hosted server):
 * it asks the poll server running on PORT, or starts one for the moment of the check.
 */
import type { Server } from 'node:http'
import type { PollServer } from '../server/poll-server.ts'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { serve } from '@hono/node-server'
import { loadConfig } from '../server/config.ts'
import { loadPolls } from '../server/poll-definitions.ts'
import { createPollServer } from '../server/poll-server.ts'
import { localOrigin } from '../server/venue-addresses.ts'
import { checkVenue, pollServerAnswers } from '../server/venue-check.ts'
import { venueText } from '../server/venue-text.ts'

interface BriefServer {
  polls: PollServer
  http: Server
}

function fail(message: string): never {
  console.error(message)
  process.exit(1)
}

/**
 * The poll API on HOST:PORT, as `npm start` would listen, for as long as the check takes. Only whether it answers
 * matters: it keeps its votes in a temporary SQLite file, so the check starts no session in the real store and
 * writes no saved results.
 */
async function startBriefly(config: ReturnType<typeof loadConfig>): Promise<BriefServer> {
  const scratch = mkdtempSync(join(tmpdir(), 'venue-check-'))
  process.once('exit', () => rmSync(scratch, { recursive: true, force: true }))
  const polls = await createPollServer({
    ...config,
    storeUrl: undefined,
    dbFile: join(scratch, 'polls.sqlite'),
    snapshotFile: join(scratch, 'poll-results.json'),
  }, await loadPolls(config.pollDefinitions))
  return new Promise((resolve) => {
    const http = serve({ fetch: polls.app.fetch, port: config.port, hostname: config.host }, () => resolve({ polls, http })) as Server
    http.once('error', (error: NodeJS.ErrnoException) => {
      void polls.close()
      fail(error.code === 'EADDRINUSE'
        ? `Port ${config.port} brukes av et annet program enn avstemningstjeneren. Velg en annen med PORT=….`
        : `Kunne ikke starte avstemningstjeneren for sjekken: ${error.message}`)
    })
  })
}

async function stopBrief(brief: BriefServer): Promise<void> {
  const closed = new Promise(resolve => brief.http.close(resolve))
  brief.http.closeAllConnections() // only the check's own requests were on it
  await closed
  await brief.polls.close()
}

let config: ReturnType<typeof loadConfig>
try {
  config = loadConfig()
}
catch (error) {
  fail(`Feil i innstillingene: ${(error as Error).message}`)
}
const pollServer = process.env.POLL_SERVER?.trim().replace(/\/+$/, '') || undefined
const origin = localOrigin(config.host, config.port)

let brief: BriefServer | undefined
if (pollServer) {
  console.log(`Presentasjonen er bygd mot avstemningstjeneren ${pollServer} (POLL_SERVER): den sjekkes, ikke denne maskinen.\n`)
}
else if (await pollServerAnswers(origin)) {
  console.log(`Avstemningstjeneren kjører på ${origin}.\n`)
}
else {
  brief = await startBriefly(config)
  console.log(`Ingen avstemningstjener svarte på ${origin}; startet en for sjekken (HOST=${config.host}, PORT=${config.port}) og stopper den etterpå.\n`)
}

try {
  const report = await checkVenue({
    host: config.host,
    port: config.port,
    publicUrl: config.publicUrl,
    pollServer,
  })
  process.stdout.write(venueText(report, 'full'))
}
finally {
  if (brief)
    await stopBrief(brief)
}
