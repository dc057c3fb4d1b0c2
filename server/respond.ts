import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { PollAppEnv } from './http.ts'
import type { RateLimiter } from './rate-limit.ts'
import * as v from 'valibot'
import { readJsonBody } from './body.ts'

/** API answers are about this moment: never cached. */
export const NO_STORE = { 'cache-control': 'no-store' }

/** The API's error answer: `{ error }` with a Norwegian message the voting page or presenter view can show. */
export function fail(c: Context, status: ContentfulStatusCode, error: string, headers: Record<string, string> = {}): Response {
  return c.json({ error }, status, {
    ...NO_STORE,
    ...headers,
  })
}

/** `429` with `Retry-After`: a limit of rate-limit.ts said no. */
export function tooMany(c: Context, limiter: Pick<RateLimiter, 'retryAfter'>, error: string): Response {
  return fail(c, 429, error, {
    'retry-after': String(limiter.retryAfter()),
  })
}

/** A `429` when `key` is over the limiter's limit, else undefined (and the request counts). */
export function overLimit(c: Context, limiter: RateLimiter, key: string, error: string): Response | undefined {
  return limiter.allow(key)
    ? undefined
    : tooMany(c, limiter, error)
}

/** A request's JSON body checked against `schema`: its output, or the `4xx { error }` answer to give. */
export async function parsedBody<T>(c: Context<PollAppEnv>, schema: v.GenericSchema<unknown, T>): Promise<T | Response> {
  const body = await readJsonBody(c.req.raw, c.env?.incoming)
  if (!body.ok)
    return fail(c, body.status, body.error)
  const parsed = v.safeParse(schema, body.value)
  return parsed.success
    ? parsed.output
    : fail(c, 400, parsed.issues[0].message)
}
