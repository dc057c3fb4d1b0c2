// @vitest-environment node
import { Buffer } from 'node:buffer'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStaticHandler } from '../../server/static.ts'

let base: string
let dist: string
let serve: (request: Request) => Promise<Response>
const script = `console.log(${JSON.stringify('æøå '.repeat(2000))})\n`

function get(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return serve(new Request(`http://localhost${path}`, { headers }))
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'poll-static-'))
  dist = join(base, 'dist')
  mkdirSync(join(dist, 'assets'), { recursive: true })
  mkdirSync(join(dist, 'vote', 'assets'), { recursive: true })
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Dekk</title>')
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), script)
  writeFileSync(join(dist, 'assets', 'font-abc123.woff2'), Buffer.from([0x77, 0x4F, 0x46, 0x32]))
  writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
  writeFileSync(join(dist, 'vote', 'index.html'), '<!doctype html><title>Stem</title>')
  writeFileSync(join(dist, 'vote', 'assets', 'vote-def456.js'), 'export {}')
  writeFileSync(join(base, 'poll-secret.txt'), 'secret')
  mkdirSync(join(base, 'private'))
  writeFileSync(join(base, 'private', 'notes.txt'), 'secret notes')
  // Links a careless build step (or a speaker) might leave in dist/: two pointing out, one pointing in.
  symlinkSync(join(base, 'poll-secret.txt'), join(dist, 'leak.txt'))
  symlinkSync(join(base, 'private'), join(dist, 'private'))
  symlinkSync(join(dist, 'favicon.svg'), join(dist, 'icon.svg'))
  serve = createStaticHandler(dist)
})

afterAll(() => {
  rmSync(base, { recursive: true, force: true })
})

describe('static files', () => {
  it('serves files with their content type', async () => {
    const svg = await get('/favicon.svg')
    expect(svg.headers.get('content-type')).toBe('image/svg+xml')
    const font = await get('/assets/font-abc123.woff2')
    expect(font.headers.get('content-type')).toBe('font/woff2')
    expect([
      ...new Uint8Array(await font.arrayBuffer()),
    ]).toEqual([0x77, 0x4F, 0x46, 0x32])
  })

  it('caches hashed assets for a year and revalidates the rest', async () => {
    expect((await get('/assets/index-abc123.js')).headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect((await get('/')).headers.get('cache-control')).toBe('no-cache')
  })

  it('answers 304 when the browser already has the file', async () => {
    const first = await get('/favicon.svg')
    const again = await get('/favicon.svg', {
      'if-none-match': first.headers.get('etag')!,
    })
    expect(again.status).toBe(304)
  })

  it('compresses text with brotli or gzip as the browser accepts', async () => {
    const brotli = await get('/assets/index-abc123.js', { 'accept-encoding': 'gzip, deflate, br' })
    expect(brotli.headers.get('content-encoding')).toBe('br')
    const brotliBytes = Buffer.from(await brotli.arrayBuffer())
    expect(brotliBytes.byteLength).toBeLessThan(Buffer.byteLength(script) / 10)
    expect(brotliDecompressSync(brotliBytes).toString()).toBe(script)
    const gzip = await get('/assets/index-abc123.js', { 'accept-encoding': 'gzip' })
    expect(gunzipSync(Buffer.from(await gzip.arrayBuffer())).toString()).toBe(script)
    const plain = await get('/assets/index-abc123.js')
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(await plain.text()).toBe(script)
  })

  it('falls back to the deck for deep links but not for missing files', async () => {
    for (const path of ['/5', '/presenter/5', '/overview'])
      expect(await (await get(path)).text()).toContain('Dekk')
    expect((await get('/assets/missing-000.js')).status).toBe(404)
  })

  it('serves the voting page and its files under /v', async () => {
    expect(await (await get('/v')).text()).toContain('Stem')
    expect(await (await get('/v/valg')).text()).toContain('Stem')
    expect(await (await get('/v/assets/vote-def456.js')).text()).toBe('export {}')
    expect(await (await get('/vote/assets/vote-def456.js')).text()).toBe('export {}')
  })

  it('never serves files outside the build', async () => {
    for (const path of [
      '/..%2Fpoll-secret.txt',
      '/%2e%2e/poll-secret.txt',
      '/v/..%2F..%2Fpoll-secret.txt',
      '/assets/..%2F..%2F..%2Fetc%2Fpasswd',
    ]) {
      const response = await get(path)
      expect(await response.text()).not.toMatch(/secret|root:/)
    }
    expect((await get('/%E0%A4%A')).status).toBe(400)
  })

  it('does not follow a symlink in the build that points outside it, but serves one that stays inside', async () => {
    for (const path of ['/leak.txt', '/private/notes.txt', '/v/../leak.txt']) {
      const response = await get(path)
      expect(response.status, path).toBe(404)
      expect(await response.text(), path).not.toContain('secret')
    }
    expect(await (await get('/private')).text()).toContain('Dekk')
    const inside = await get('/icon.svg')
    expect(inside.status).toBe(200)
    expect(await inside.text()).toContain('<svg')
  })

  it('says to build when the voting page is missing', async () => {
    rmSync(join(dist, 'vote'), { recursive: true })
    const response = await get('/v')
    expect(response.status).toBe(503)
    expect(await response.text()).toContain('npm run build')
  })
})
