import type { Socket } from 'node:net'
import { Buffer } from 'node:buffer'
import { connect } from 'node:net'
import { parseResponseHead } from './http-head.ts'
import { takeSseBlocks } from './sse-blocks.ts'

/**
 * An event stream read straight off a TCP socket, for the benchmarks' thousands of listeners: Node's HTTP client
 * costs a parser callback, a stream push and an emit per chunk, CPU a 2-core machine takes from the server being
 * measured (its listener thread used 94 % of a core in a storm, this one 74 %). This reads the same bytes: the
 * response head, then the body, de-chunked when the server chunks it, split into event blocks.
 *
 * Blocks are decoded as Latin-1, byte for byte: exact for the ASCII of the framing, the names and the numbers, and a
 * plain copy, where UTF-8 decoding took an eighth of the listener thread in a profile. Text beyond ASCII comes back as
 * its UTF-8 bytes, one character each (`Buffer.from(block, 'latin1').toString()` gives the text).
 */
export interface SseReader {
  /** Takes bytes as they came (kept only for the call); returns the event blocks they completed. */
  push: (bytes: Buffer) => string[]
  /** The response's status, once its head has arrived. */
  status: () => number | undefined
  /** The server ended the body (the last chunk). */
  ended: () => boolean
}

/**
 * Reads that listeners share. A crowd's streams are sent the same bytes for each event: a read equal to one decoded
 * before, starting and ending on an event's boundary, stands for the same blocks and is not decoded again (decoding
 * took a fifth of the listener thread in a storm's profile).
 */
export interface ReadMemo {
  recall: (bytes: Buffer) => string[] | undefined
  remember: (bytes: Buffer, blocks: string[]) => void
}

/** Keeps the last `size` reads: a crowd reads one event on every stream before the next comes. */
export function createReadMemo(size = 4): ReadMemo {
  const entries: { bytes: Buffer, blocks: string[] }[] = []
  return {
    recall(bytes) {
      for (const entry of entries) {
        if (entry.bytes.equals(bytes))
          return entry.blocks
      }
      return undefined
    },
    remember(bytes, blocks) {
      entries.unshift({
        bytes: Buffer.from(bytes),
        blocks,
      })
      entries.length = Math.min(entries.length, size)
    },
  }
}

const EMPTY = Buffer.alloc(0)

/** `memo`: reads shared with other readers of the same stream (the blocks returned are then shared too: read only). */
export function createSseReader(memo?: ReadMemo): SseReader {
  let pending: Buffer = EMPTY
  let status: number | undefined
  let chunked = false
  let ended = false
  /** Bytes of the current chunk's data still to come, then the CRLF after it. */
  let dataLeft = 0
  let crlfLeft = 0
  let text = ''

  /** Reads the body's framing from `at`; returns where it stopped (an unfinished size line stays pending). */
  function readBody(bytes: Buffer, at: number): number {
    while (at < bytes.length && !ended) {
      if (!chunked) {
        text += bytes.toString('latin1', at)
        return bytes.length
      }
      if (crlfLeft > 0) {
        const skipped = Math.min(crlfLeft, bytes.length - at)
        crlfLeft -= skipped
        at += skipped
        continue
      }
      if (dataLeft > 0) {
        const end = Math.min(at + dataLeft, bytes.length)
        text += bytes.toString('latin1', at, end)
        dataLeft -= end - at
        at = end
        if (dataLeft === 0)
          crlfLeft = 2
        continue
      }
      const lineEnd = bytes.indexOf('\r\n', at)
      if (lineEnd === -1)
        return at
      // A size may carry extensions after a semicolon; parseInt stops there.
      const size = Number.parseInt(bytes.toString('latin1', at, lineEnd), 16)
      if (!Number.isFinite(size))
        throw new TypeError('Not a chunked body: a chunk size is not hexadecimal.')
      at = lineEnd + 2
      if (size === 0)
        ended = true
      dataLeft = size
    }
    return bytes.length
  }

  /** Between two events: nothing half read. */
  const atBoundary = () => status !== undefined && !ended && pending.length === 0 && text === '' && dataLeft === 0 && crlfLeft === 0

  return {
    push(incoming) {
      const shareable = memo !== undefined && atBoundary()
      if (shareable) {
        const known = memo.recall(incoming)
        if (known)
          return known
      }
      const bytes = pending.length > 0
        ? Buffer.concat([pending, incoming])
        : incoming
      let at = 0
      if (status === undefined) {
        const headEnd = bytes.indexOf('\r\n\r\n')
        if (headEnd === -1) {
          pending = Buffer.from(bytes)
          return []
        }
        const head = parseResponseHead(bytes.toString('latin1', 0, headEnd))
        status = head.status
        chunked = head.chunked
        at = headEnd + 4
      }
      at = readBody(bytes, at)
      // A copy: the bytes may be a read buffer the socket reuses.
      pending = at < bytes.length
        ? Buffer.from(bytes.subarray(at))
        : EMPTY
      const { blocks, rest } = takeSseBlocks(text)
      text = rest
      if (shareable && blocks.length > 0 && atBoundary())
        memo.remember(incoming, blocks)
      return blocks
    },
    status: () => status,
    ended: () => ended,
  }
}

export interface SseSocketHandlers {
  /** The response head arrived: its status. */
  onStatus: (status: number) => void
  /** An event block arrived (without its blank line), with the time the bytes were read. */
  onBlock: (block: string, receivedAt: number) => void
  /** The stream is over: ended by the server, refused, or failed. */
  onClose: () => void
}

const READ_BUFFER = Buffer.allocUnsafe(64 * 1024)

/** Opens `GET url` as an event stream on its own socket (HTTP/1.1, no TLS). */
export function openSseSocket(url: string, handlers: SseSocketHandlers, now: () => number = () => performance.now(), memo?: ReadMemo): Socket {
  const { hostname, port, pathname, search, host } = new URL(url)
  const reader = createSseReader(memo)
  // Read into one buffer per thread and handed over without a stream: the reader keeps nothing of it.
  const socket = connect({
    host: hostname,
    port: Number(port || 80),
    onread: {
      buffer: READ_BUFFER,
      callback: (length) => {
        read(READ_BUFFER.subarray(0, length))
        return true
      },
    },
  })
  let closed = false
  const close = () => {
    if (!closed) {
      closed = true
      handlers.onClose()
    }
  }
  socket.on('connect', () => {
    socket.write(`GET ${pathname}${search} HTTP/1.1\r\nHost: ${host}\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n`)
  })
  function read(bytes: Buffer): void {
    const receivedAt = now()
    const known = reader.status() !== undefined
    let blocks: string[]
    try {
      blocks = reader.push(bytes)
    }
    catch {
      socket.destroy()
      return
    }
    if (!known && reader.status() !== undefined)
      handlers.onStatus(reader.status()!)
    for (const block of blocks)
      handlers.onBlock(block, receivedAt)
    if (reader.ended())
      socket.end()
  }
  socket.on('error', () => {})
  socket.on('close', close)
  return socket
}
