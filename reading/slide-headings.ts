/**
 * Each slide is written with its own `<h1>`; in the reading view it is part of a document where the slide's title is
 * the `<h2>`, so a slide's headings are announced one level below it, and one that only repeats the title is left
 * out. Slides arrive as lazy chunks after the page has mounted, so this follows the page as it fills.
 */
export function nestSlideHeadings(root: HTMLElement): () => void {
  const normalise = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim()
  function apply() {
    for (const heading of root.querySelectorAll<HTMLElement>('.reading-slide h1:not([aria-level])')) {
      heading.setAttribute('aria-level', '3')
      const title = heading.closest('article')?.querySelector('[data-slide-title]')?.textContent ?? null
      if (normalise(heading.textContent) === normalise(title))
        heading.classList.add('reading-repeated-title')
    }
  }
  apply()
  const observer = new MutationObserver(apply)
  observer.observe(root, { childList: true, subtree: true })
  return () => observer.disconnect()
}
