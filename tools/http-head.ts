/** What the benchmarks' own HTTP/1.1 clients need of a response's head (the text before the blank line). */
export interface ResponseHead {
  status: number
  /** The body comes in chunks (Transfer-Encoding: chunked). */
  chunked: boolean
  /** The body's length, when the head gives it. */
  contentLength?: number
}

export function parseResponseHead(head: string): ResponseHead {
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1])
  if (!Number.isInteger(status))
    throw new TypeError('Not an HTTP/1.1 response.')
  const length = /\r\ncontent-length:[ \t]*(\d+)/i.exec(head)?.[1]
  return {
    status,
    chunked: /\r\ntransfer-encoding:[ \t]*chunked/i.test(head),
    contentLength: length === undefined
      ? undefined
      : Number(length),
  }
}
