import type { Buffer } from 'node:buffer'
import type { Stats } from 'node:fs'
import { readFile, realpath, stat } from 'node:fs/promises'
import { extname, join, resolve, sep } from 'node:path'
import { promisify } from 'node:util'
import { brotliCompress, gzip, constants as zlib } from 'node:zlib'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.pdf': 'application/pdf',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
  '.wasm': 'application/wasm',
}

const COMPRESSIBLE = /^(?:text\/|application\/(?:json|manifest\+json|xml|wasm)|image\/svg\+xml)/
const compressBrotli = promisify(brotliCompress)
const compressGzip = promisify(gzip)

type Encoding = 'br' | 'gzip'

/** Compressed copies of files, keyed by path, size, mtime and encoding, so each is compressed once per build. */
const compressedCache = new Map<string, Promise<Buffer>>()
const COMPRESSED_CACHE_MAX = 2000

function compressed(file: string, info: Stats, raw: Buffer, encoding: Encoding): Promise<Buffer> {
  const key = `${file}\0${info.size}\0${info.mtimeMs}\0${encoding}`
  let cached = compressedCache.get(key)
  if (!cached) {
    if (compressedCache.size >= COMPRESSED_CACHE_MAX)
      compressedCache.clear()
    cached = encoding === 'br'
      ? compressBrotli(raw, {
          params: { [zlib.BROTLI_PARAM_QUALITY]: 6 },
        })
      : compressGzip(raw, { level: 6 })
    compressedCache.set(key, cached)
    cached.catch(() => compressedCache.delete(key))
  }
  return cached
}

function preferredEncoding(acceptEncoding: string | null): Encoding | undefined {
  const accepted = (acceptEncoding ?? '').toLowerCase()
  if (/\bbr\b/.test(accepted))
    return 'br'
  if (/\bgzip\b/.test(accepted))
    return 'gzip'
  return undefined
}

function isInside(root: string, file: string): boolean {
  return file === root || file.startsWith(root + sep)
}

/** A path with every symlink resolved, or undefined when nothing is there. */
async function realPath(path: string): Promise<string | undefined> {
  try {
    return await realpath(path)
  }
  catch {
    return undefined
  }
}

/**
 * The regular file at `file` and where it really is, if it really is inside `base`: a symlink in the build that
 * points elsewhere (or a folder of them) is treated as missing, not followed.
 */
async function fileInside(base: string, file: string): Promise<{ path: string, info: Stats } | undefined> {
  const [realBase, real] = await Promise.all([
    realPath(base),
    realPath(file),
  ])
  if (!realBase || !real || !isInside(realBase, real))
    return undefined
  try {
    const info = await stat(real)
    return info.isFile()
      ? { path: real, info }
      : undefined
  }
  catch {
    return undefined
  }
}

/** Serves one file with its content type, validators, cache policy and (when worth it) compression. */
async function serveFile(request: Request, file: string, info: Stats, cacheControl: string): Promise<Response> {
  const contentType = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
  const etag = `W/"${info.size.toString(36)}-${Math.trunc(info.mtimeMs).toString(36)}"`
  const headers: Record<string, string> = {
    'content-type': contentType,
    'cache-control': cacheControl,
    'etag': etag,
    'last-modified': info.mtime.toUTCString(),
    'x-content-type-options': 'nosniff',
  }
  if (request.headers.get('if-none-match') === etag)
    return new Response(null, { status: 304, headers })

  let body: Buffer = await readFile(file)
  if (COMPRESSIBLE.test(contentType) && body.byteLength > 1024) {
    headers.vary = 'accept-encoding'
    const encoding = preferredEncoding(request.headers.get('accept-encoding'))
    if (encoding) {
      body = await compressed(file, info, body, encoding)
      headers['content-encoding'] = encoding
    }
  }
  headers['content-length'] = String(body.byteLength)
  return new Response(request.method === 'HEAD'
    ? null
    : new Uint8Array(body), { headers })
}

function text(status: number, message: string): Response {
  return new Response(message, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
  })
}

/**
 * The built deck and voting page. `/v` and `/v/…` get the voting page (its files from dist/vote/), hashed
 * `assets/` are cached for a year, and any other path without a file falls back to the deck's index.html
 * so deep links like /5 or /presenter/5 work.
 */
export function createStaticHandler(distDir: string): (request: Request) => Promise<Response> {
  const root = resolve(distDir)
  const voteRoot = join(root, 'vote')

  return async (request) => {
    let path: string
    try {
      path = decodeURIComponent(new URL(request.url).pathname)
    }
    catch {
      return text(400, 'Ugyldig adresse.')
    }
    if (path.includes('\0'))
      return text(400, 'Ugyldig adresse.')

    const isVotePage = path === '/v' || path.startsWith('/v/')
    const base = isVotePage ? voteRoot : root
    const file = resolve(base, `.${isVotePage
      ? path.slice(2)
      : path}`)
    if (!isInside(base, file))
      return text(404, 'Ikke funnet.')
    const cacheControl = /\/assets\//.test(path)
      ? 'public, max-age=31536000, immutable'
      : 'no-cache'

    const direct = await fileInside(base, file)
    if (direct)
      return serveFile(request, direct.path, direct.info, cacheControl)
    const directoryIndex = await fileInside(base, join(file, 'index.html'))
    if (directoryIndex)
      return serveFile(request, directoryIndex.path, directoryIndex.info, 'no-cache')
    if (extname(path) !== '')
      return text(404, 'Ikke funnet.')

    const fallback = await fileInside(base, join(base, 'index.html'))
    if (!fallback) {
      return text(503, isVotePage
        ? 'Stemmesiden er ikke bygget. Kjør «npm run build» og start tjeneren på nytt.'
        : 'Presentasjonen er ikke bygget. Kjør «npm run build» og start tjeneren på nytt.')
    }
    return serveFile(request, fallback.path, fallback.info, 'no-cache')
  }
}
