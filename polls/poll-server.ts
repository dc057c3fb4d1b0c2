/**
 * Where the deck finds its poll server: POLL_SERVER at build time (`POLL_SERVER=https://polls.example.org npm run
 * build`, see vite.config.ts), else this page's own origin. The voting page is always served by the poll server
 * itself, so it is built without it and stays same-origin.
 */
declare global {
  interface ImportMetaEnv {
    /** Set by the deck's vite.config.ts; absent in the voting page's build and in tests. */
    readonly POLL_SERVER?: string
  }
}

/** The poll server's origin (no trailing slash), or '' for this page's own origin. */
export const pollServerUrl: string = (import.meta.env?.POLL_SERVER ?? '').replace(/\/+$/, '')

/**
 * A deck loaded over HTTPS cannot call an http:// server: browsers block it as mixed content, silently for
 * the page. Loopback addresses are exempt (browsers treat them as secure).
 */
export function isMixedContent(pageProtocol: string, server: string): boolean {
  if (pageProtocol !== 'https:' || !server.startsWith('http:'))
    return false
  const host = new URL(server).hostname
  return host !== 'localhost' && host !== '127.0.0.1' && host !== '[::1]'
}
