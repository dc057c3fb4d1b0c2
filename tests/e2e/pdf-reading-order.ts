import { spawnSync } from 'node:child_process'

/** An element of a PDF's tag tree with its text, as poppler's `pdfinfo -struct-text` reads it. */
export interface ReadElement {
  type: string
  /** Text marked directly under this element, in order. */
  text: string[]
  kids: ReadElement[]
}

/** The tag tree with its text, in the order a screen reader reads it. */
export function readTagTree(file: string): ReadElement {
  const dump = spawnSync('pdfinfo', ['-struct-text', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout
  const root: ReadElement = { type: 'root', text: [], kids: [] }
  const open: { depth: number, element: ReadElement }[] = [
    { depth: -1, element: root },
  ]
  for (const line of dump.split('\n')) {
    const depth = line.search(/\S/)
    const content = line.trim()
    if (depth === -1)
      continue
    while (open.length > 1 && open.at(-1)!.depth >= depth)
      open.pop()
    const parent = open.at(-1)!.element
    const text = content.match(/^"(.*)"$/)
    if (text) {
      parent.text.push(text[1]!)
      continue
    }
    const element = content.match(/^([A-Z][A-Za-z0-9]*)(?: \((?:block|inline)\))?(?: <[^>]*>)?:?$/)
    if (element && !content.startsWith('Object')) {
      const kid: ReadElement = { type: element[1]!, text: [], kids: [] }
      parent.kids.push(kid)
      open.push({ depth, element: kid })
    }
  }
  return root.kids[0] ?? root
}

/** Every element under `element`, itself first, depth first. */
export function allElements(element: ReadElement): ReadElement[] {
  return [
    element,
    ...element.kids.flatMap(allElements),
  ]
}

/** The non-empty texts of an element and everything in it, in reading order. */
export function textsOf(element: ReadElement): string[] {
  return [
    ...element.text,
    ...element.kids.flatMap(textsOf),
  ].filter(text => text.trim())
}

/**
 * What is wrong with the reading order of one rendered slide: a heading must come before the rest of the slide, and
 * the slide's number (`n / total`, drawn in a corner) after all of it.
 */
export function readingOrderProblems(slide: ReadElement, number: number, total: number): string[] {
  const texts = textsOf(slide)
  const problems: string[] = []
  const heading = allElements(slide).find(element => element.type === 'H1')
  if (heading && texts[0] !== textsOf(heading)[0])
    problems.push(`slide ${number}: «${texts[0]}» is read before the heading «${textsOf(heading)[0]}»`)
  if (number > 1 && texts.at(-1)?.replace(/\s+/g, ' ') !== `${number} / ${total}`)
    problems.push(`slide ${number}: its number is not read last, «${texts.at(-1)}» is`)
  return problems
}
