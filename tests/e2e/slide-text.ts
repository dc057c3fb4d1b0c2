import type { Page } from 'playwright-chromium'

/** Smallest size of any text on the 980-px canvas, and of body text (paragraphs, list items, quotes, table cells). */
export const MIN_TEXT_PX = 18
export const MIN_BODY_PX = 24

/**
 * What is wrong with the text of slide `number` as the page shows it now: every visible text node, inside shadow
 * roots (Mermaid) and SVG too, measured at its size on the slide canvas (Slidev's scaling, CSS transforms and SVG
 * viewBoxes taken out or in), and every text box that sticks out of the 16:9 frame. Visually hidden text
 * (`.sr-only`) is for screen readers and is skipped.
 */
export function slideTextProblems(page: Page, number: number): Promise<string[]> {
  return page.evaluate(({ n, minText, minBody }) => {
    const frame = document.querySelector<HTMLElement>('#slide-content')!
    const frameRect = frame.getBoundingClientRect()
    const root = document.querySelector(`.slidev-page-${n}`)!
    const problems: string[] = []

    const scaleOf = (matrix: DOMMatrixReadOnly) => Math.hypot(matrix.a, matrix.b)
    const parentOf = (node: Element): Element | null => node.parentElement ?? ((node.getRootNode() as ShadowRoot).host ?? null)
    /** How many canvas pixels one CSS pixel of `element` is: CSS transforms up to the canvas, SVG user units. */
    function canvasScale(element: Element): number {
      let factor = 1
      let node: Element | null = element
      while (node && node !== frame) {
        // Inside an SVG, getCTM() maps to the nearest viewport (its viewBox included); then on from that viewport.
        if (node instanceof SVGGraphicsElement && node.ownerSVGElement) {
          factor *= scaleOf(node.getCTM() ?? new DOMMatrix())
          node = node.ownerSVGElement
          continue
        }
        const transform = node instanceof SVGElement && node.ownerSVGElement
          ? 'none'
          : getComputedStyle(node).transform
        if (transform && transform !== 'none')
          factor *= scaleOf(new DOMMatrix(transform))
        node = parentOf(node)
      }
      return factor
    }

    function visit(scope: ParentNode) {
      for (const element of scope.querySelectorAll('*')) {
        if (element.shadowRoot)
          visit(element.shadowRoot)
        check(element)
      }
    }

    function check(element: Element) {
      const texts = [...element.childNodes].filter(node => node.nodeType === Node.TEXT_NODE && node.textContent!.trim())
      if (!texts.length || element.closest('.sr-only'))
        return
      const style = getComputedStyle(element)
      const range = document.createRange()
      range.selectNodeContents(element)
      const rect = range.getBoundingClientRect()
      if (rect.width < 1 || rect.height < 1 || style.visibility === 'hidden')
        return
      const text = texts.map(node => node.textContent!.trim()).join(' ').slice(0, 40)
      const px = Number.parseFloat(style.fontSize) * canvasScale(element)
      const tolerance = 2
      if (rect.left < frameRect.left - tolerance || rect.right > frameRect.right + tolerance || rect.top < frameRect.top - tolerance || rect.bottom > frameRect.bottom + tolerance)
        problems.push(`«${text}» overflows the slide`)
      if (px < minText - 0.05)
        problems.push(`«${text}» is ${px.toFixed(1)}px on the canvas, below ${minText}px`)
      else if (element.matches('p, li, blockquote, td, th') && px < minBody - 0.05)
        problems.push(`«${text}» is body text at ${px.toFixed(1)}px on the canvas, below ${minBody}px`)
    }

    visit(root)
    return problems
  }, { n: number, minText: MIN_TEXT_PX, minBody: MIN_BODY_PX })
}
