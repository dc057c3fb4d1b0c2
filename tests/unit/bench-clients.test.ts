// @vitest-environment node
import type { ReadMemo } from '../../tools/sse-socket.ts'
import { Buffer } from 'node:buffer'
import { describe, expect, it } from 'vitest'
import { completeResponse } from '../../scripts/json-connection.ts'
import { createReadMemo, createSseReader } from '../../tools/sse-socket.ts'

const HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n'
const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`

/** Feeds the bytes in pieces of `size` and collects every block. */
function readInPieces(bytes: Buffer, size: number, memo?: ReadMemo): { blocks: string[], status?: number, ended: boolean } {
  const reader = createSseReader(memo)
  const blocks: string[] = []
  for (let at = 0; at < bytes.length; at += size)
    blocks.push(...reader.push(bytes.subarray(at, at + size)))
  return {
    blocks,
    status: reader.status(),
    ended: reader.ended(),
  }
}

describe('the benchmarks\' event-stream reader', () => {
  const body = chunk('retry: 1000\n\n') + chunk('event: tally\ndata: {"total":1}\n\n') + chunk('event: current\ndata: {"id":"vær"}\n\nevent: tally\ndata: {"total":2}\n\n') + chunk('')
  const bytes = Buffer.from(HEAD + body)

  it('reads the status, de-chunks the body and splits it into events, however the bytes are cut', () => {
    for (const size of [1, 2, 3, 7, 64, bytes.length]) {
      const { blocks, status, ended } = readInPieces(bytes, size)
      expect(status).toBe(200)
      expect(blocks).toEqual([
        'retry: 1000',
        'event: tally\ndata: {"total":1}',
        'event: current\ndata: {"id":"vÃ¦r"}',
        'event: tally\ndata: {"total":2}',
      ])
      expect(ended).toBe(true)
    }
  })

  it('gives the text back byte for byte: UTF-8 beyond ASCII decodes from it', () => {
    const [, , current] = readInPieces(bytes, 5).blocks
    expect(Buffer.from(current!, 'latin1').toString()).toBe('event: current\ndata: {"id":"vær"}')
  })

  it('reads a body that is not chunked as it comes, and a refusal\'s status', () => {
    const plain = readInPieces(Buffer.from('HTTP/1.0 200 OK\r\nContent-Type: text/event-stream\r\n\r\nevent: tally\ndata: 1\n\nevent: ta'), 4)
    expect(plain.blocks).toEqual(['event: tally\ndata: 1'])
    expect(plain.ended).toBe(false)
    expect(readInPieces(Buffer.from('HTTP/1.1 429 Too Many Requests\r\ncontent-length: 0\r\n\r\n'), 10).status).toBe(429)
  })

  it('gives a crowd sharing a memo the same blocks, decoded once, however each stream\'s bytes are cut', () => {
    const shared = createReadMemo()
    let recalled = 0
    const memo: ReadMemo = {
      recall(bytes) {
        const blocks = shared.recall(bytes)
        recalled += blocks ? 1 : 0
        return blocks
      },
      remember: shared.remember,
    }
    const events = [
      chunk('event: tally\ndata: {"total":1}\n\n'),
      chunk('event: tally\ndata: {"total":2}\n\n'),
    ]
    // The first stream reads one event per read: each read is remembered.
    const first = createSseReader(memo)
    const firstBlocks = [HEAD, ...events].flatMap(read => first.push(Buffer.from(read)))
    expect(firstBlocks).toEqual(['event: tally\ndata: {"total":1}', 'event: tally\ndata: {"total":2}'])
    // The second is given the same reads: the very same blocks come back, not decoded again.
    const second = createSseReader(memo)
    const secondBlocks = [HEAD, ...events].flatMap(read => second.push(Buffer.from(read)))
    expect(secondBlocks).toEqual(firstBlocks)
    expect(recalled).toBe(2)
    // A stream whose reads are cut elsewhere (a remembered read arriving in the middle of an event) reads its own bytes.
    const whole = Buffer.from(HEAD + events.join('') + events.join('') + chunk(''))
    for (const size of [
      1,
      5,
      events[0]!.length - 1,
      events[0]!.length + 3,
    ])
      expect(readInPieces(whole, size, memo)).toEqual(readInPieces(whole, size))
  })

  it('refuses a chunk size that is not hexadecimal', () => {
    const reader = createSseReader()
    expect(() => reader.push(Buffer.from(`${HEAD}zz\r\n`))).toThrow(/hexadecimal/)
  })
})

describe('the benchmarks\' voting connection', () => {
  const response = (head: string, body = '') => Buffer.from(`${head}\r\n\r\n${body}`)

  it('knows a response is complete by its length, or by its last chunk', () => {
    const sized = response('HTTP/1.1 201 Created\r\nContent-Length: 11', '{"ok":true}')
    expect(completeResponse(sized)).toEqual({ length: sized.length, status: 201 })
    expect(completeResponse(sized.subarray(0, sized.length - 1))).toBeUndefined()
    const chunked = response('HTTP/1.1 429 Too Many Requests\r\nTransfer-Encoding: chunked', '5\r\nhello\r\n0\r\n\r\n')
    expect(completeResponse(Buffer.concat([
      chunked,
      Buffer.from('HTTP/1.1 '),
    ]))).toEqual({ length: chunked.length, status: 429 })
    expect(completeResponse(chunked.subarray(0, chunked.length - 2))).toBeUndefined()
  })

  it('waits for a head, and refuses what is not HTTP', () => {
    expect(completeResponse(Buffer.from('HTTP/1.1 201 Created\r\nContent-'))).toBeUndefined()
    expect(() => completeResponse(response('SSH-2.0-OpenSSH'))).toThrow(/HTTP/)
  })
})
