import type { MiddlewareHandler } from 'hono'

/**
 * Sent with every response, API and static. The deck is self-hosted with no inline script; it needs inline
 * styles (the first-paint card's <style>, Vue's style bindings) and data: images and fonts. Framing is refused, so
 * the presenter view cannot be clickjacked, and no page sends its address (with a token) as Referer.
 */
export const CONTENT_SECURITY_POLICY = [
  `default-src 'self'`,
  `script-src 'self'`,
  `style-src 'self' 'unsafe-inline'`,
  `img-src 'self' data: blob:`,
  `font-src 'self' data:`,
  `connect-src 'self'`,
  `object-src 'none'`,
  `base-uri 'self'`,
  `form-action 'self'`,
  `frame-ancestors 'none'`,
].join('; ')

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
}

export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next()
  for (const [name, value] of Object.entries(SECURITY_HEADERS))
    c.res.headers.set(name, value)
}
