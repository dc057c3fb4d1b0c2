import { Buffer } from 'node:buffer'
import { describe, expect, it } from 'vitest'
import { sseEvent, ssePayload } from '../../server/sse-stream.ts'

describe('ssePayload', () => {
  it('frames the event as one HTTP/1.1 chunk whose size counts UTF-8 bytes, not characters', () => {
    const text = sseEvent('tally', {
      tallies: { blåbær: 2 },
    })
    const payload = ssePayload(text)
    const size = Buffer.byteLength(text)
    expect(size).toBe(text.length + 2)
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes)
    expect(decode(payload.bytes)).toBe(text)
    expect(decode(payload.chunk)).toBe(`${size.toString(16)}\r\n${text}\r\n`)
  })

  it('gives Node Buffers, which a socket writes as they are instead of wrapping each in a new one', () => {
    const payload = ssePayload(': ping\n\n')
    expect(Buffer.isBuffer(payload.bytes)).toBe(true)
    expect(Buffer.isBuffer(payload.chunk)).toBe(true)
  })
})
