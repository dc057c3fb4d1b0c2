import type { Window as HappyDomWindow } from 'happy-dom'

/** Moves the test page to `url` (happy-dom keeps one window per test file): relative requests go there. */
export function setPageUrl(url: string): void {
  (window as unknown as HappyDomWindow).happyDOM.setURL(url)
}
