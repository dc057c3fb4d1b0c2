/**
 * `npm run venue-check` as a speaker runs it, and the short form `npm start` prints: real requests from this
 * machine to a running poll server, to one the check starts for a moment, and to a hosted one (POLL_SERVER).
 * Everything listens on loopback; network addresses the server does not listen on are reported, never asked.
 */
import type { PollServer } from '../../tools/poll-server-process.ts'
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort, portAccepts } from '../../scripts/free-port.ts'
import { terminalQr } from '../../server/venue-text.ts'
import { PROJECT_ROOT, startPollServer } from '../../tools/poll-server-process.ts'
import { waitFor } from './poll-http.ts'

let dir: string
let running: PollServer

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'venue-check-'))
  running = await startPollServer()
})

afterAll(async () => {
  await running?.stop()
  rmSync(dir, { recursive: true, force: true })
})

function venueCheck(env: Record<string, string>): Promise<{ code: number, output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['scripts/venue-check.ts'], {
      cwd: PROJECT_ROOT,
      timeout: 20_000,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        POLL_DB: join(dir, 'polls.sqlite'),
        POLL_SNAPSHOT: join(dir, 'poll-results.json'),
        POLL_TOKEN: randomBytes(12).toString('hex'),
        ...env,
      },
    }, (error, stdout, stderr) => resolve({
      code: error
        ? Number(error.code ?? 1)
        : 0,
      output: stdout + stderr,
    }))
  })
}

const indented = (text: string) => text.split('\n').map(line => `  ${line}`).join('\n')

describe('npm run venue-check', () => {
  it('starts a poll server for the moment when none runs, finds that only this machine reaches it, shows the QR code and advises', async () => {
    const port = await freePort()
    const { code, output } = await venueCheck({
      PORT: String(port),
    })
    expect(code, output).toBe(0)
    expect(output).toContain(`Ingen avstemningstjener svarte på http://127.0.0.1:${port}; startet en for sjekken`)
    expect(output).toContain(`✓ svarer       http://127.0.0.1:${port}/v  (bare denne maskinen)`)
    expect(output).toContain(`QR-koden på lysarkene (http://127.0.0.1:${port}/v):\n${indented(terminalQr(`http://127.0.0.1:${port}/v`))}\n`)
    expect(output).toContain(`• 127.0.0.1:${port} gjelder bare denne maskinen: ingen telefon når den.`)
    expect(output).toContain('• Telefoner på mobildata når ikke denne maskinen: bruk en avstemningstjener på nett (POLL_SERVER), se README')
    // Network addresses the loopback-bound server cannot answer on are listed as such, with what to do.
    for (const line of output.split('\n').filter(line => line.includes('✗ svarer ikke')))
      expect(line).toMatch(new RegExp(`http://[\\d.]+:${port}/v`))
    expect(await portAccepts(port)).toBe(false) // stopped again
    // The check's own server kept nothing in the speaker's store.
    expect(existsSync(join(dir, 'polls.sqlite'))).toBe(false)
    expect(existsSync(join(dir, 'poll-results.json'))).toBe(false)
  })

  it('asks the poll server already running on PORT, and shows the address its slides show', async () => {
    const port = new URL(running.url).port
    const { code, output } = await venueCheck({ PORT: port })
    expect(code, output).toBe(0)
    expect(output).toContain(`Avstemningstjeneren kjører på http://127.0.0.1:${port}.`)
    expect(output).toContain(`✓ svarer       http://127.0.0.1:${port}/v`)
    expect(output).toContain(`QR-koden på lysarkene (http://127.0.0.1:${port}/v):`)
  })

  it('checks a hosted poll server (POLL_SERVER) instead of this machine, and says when it does not answer', async () => {
    const hosted = `http://localhost:${new URL(running.url).port}`
    const answering = await venueCheck({
      POLL_SERVER: hosted,
      PORT: String(await freePort()),
    })
    expect(answering.code, answering.output).toBe(0)
    expect(answering.output).toContain(`bygd mot avstemningstjeneren ${hosted} (POLL_SERVER)`)
    expect(answering.output).toContain(`✓ svarer       ${hosted}/v  (bare denne maskinen, fra POLL_SERVER)`)
    // The code shows the address the server is configured with (here its HOST), whatever name reached it.
    expect(answering.output).toContain(`QR-koden på lysarkene (${running.url}/v):`)

    const silent = `http://127.0.0.1:${await freePort()}`
    const missing = await venueCheck({ POLL_SERVER: silent })
    expect(missing.output).toContain(`✗ svarer ikke  ${silent}/v`)
    expect(missing.output).toContain(`• Avstemningstjeneren ${new URL(silent).host} svarer ikke herfra. Sjekk adressen i POLL_SERVER`)
    expect(missing.output).not.toContain('QR-kode')
  })

  it('tells a web server that is not a poll server from one that is', async () => {
    const other = createServer((_, response) => response.end('<!doctype html><p>Noe annet</p>'))
    await new Promise<void>(resolve => other.listen(0, '127.0.0.1', resolve))
    const port = (other.address() as { port: number }).port
    const { code, output } = await venueCheck({
      PORT: String(port),
    })
    other.close()
    expect(code).toBe(1)
    expect(output).toContain(`Port ${port} brukes av et annet program enn avstemningstjeneren.`)
  })
})

describe('npm start', () => {
  it('prints the venue check in short after its start message', async () => {
    const port = new URL(running.url).port
    expect(await waitFor(() => running.output().includes('Råd:'), 5000)).toBe(true)
    const output = running.output()
    expect(output.indexOf('Sjekk av lokalet (mer i «npm run venue-check»):')).toBeGreaterThan(output.indexOf('Presentatør:'))
    expect(output).toContain(`✓ svarer       http://127.0.0.1:${port}/v\n`)
    expect(output).toContain(indented(terminalQr(`http://127.0.0.1:${port}/v`)))
    expect(output).toContain('• Telefoner på mobildata når ikke denne maskinen: bruk en avstemningstjener på nett (POLL_SERVER)')
  })
})
