/**
 * The tag tree of a tagged PDF (what a screen reader reads), read and repaired with pdf-lib. Chromium tags every
 * HTML <figure> as a PDF Figure, which PDF readers treat as one picture: its alternative text (from aria-label) is
 * read instead of everything inside it, and a Figure without one fails PDF/UA. A figure of this deck that holds text
 * (a quote with its source, the samskaping cycle's steps) is therefore retagged as a Div, so its text is read. And
 * Chromium writes a PDF 1.7 with PDF 2.0's Strong and Em, which 1.7 readers only know through a role map.
 */
import type { PDFDocument, PDFObject } from 'pdf-lib'
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFString } from 'pdf-lib'

/** One structure element: its type (H1, P, Figure, …), alternative text, language, title and children. */
export interface StructureElement {
  type: string
  alt?: string
  lang?: string
  title?: string
  kids: StructureElement[]
}

/** Element types that only wrap content: a Figure holding nothing else is a picture. */
const WRAPPERS = new Set(['NonStruct', 'Span'])

function text(value: PDFObject | undefined): string | undefined {
  return value instanceof PDFString || value instanceof PDFHexString
    ? value.decodeText()
    : undefined
}

/** The structure elements directly under `node` (a StructElem's /K: one kid, an array, or marked content). */
function kidsOf(node: PDFDict): PDFDict[] {
  const kids = node.lookup(PDFName.of('K'))
  const list = kids instanceof PDFArray
    ? kids.asArray().map(kid => node.context.lookup(kid))
    : [kids]
  return list.filter((kid): kid is PDFDict => kid instanceof PDFDict && kid.has(PDFName.of('S')))
}

function typeOf(element: PDFDict): string {
  return element.lookup(PDFName.of('S'), PDFName).decodeText()
}

function* descendants(element: PDFDict): Generator<PDFDict> {
  for (const kid of kidsOf(element)) {
    yield kid
    yield* descendants(kid)
  }
}

/** Whether structure other than wrappers is inside: paragraphs, lists, quotes, captions. */
function holdsText(element: PDFDict): boolean {
  for (const kid of descendants(element)) {
    if (!WRAPPERS.has(typeOf(kid)))
      return true
  }
  return false
}

function structureRoot(pdf: PDFDocument): PDFDict | undefined {
  return pdf.catalog.lookupMaybe(PDFName.of('StructTreeRoot'), PDFDict)
}

/** The tag tree from its root element (Document), or undefined for an untagged PDF. */
export function readStructure(pdf: PDFDocument): StructureElement | undefined {
  const root = structureRoot(pdf)
  const read = (element: PDFDict): StructureElement => ({
    type: typeOf(element),
    alt: text(element.lookup(PDFName.of('Alt'))),
    lang: text(element.lookup(PDFName.of('Lang'))),
    title: text(element.lookup(PDFName.of('T'))),
    kids: kidsOf(element).map(read),
  })
  const top = root && kidsOf(root)[0]
  return top && read(top)
}

/** PDF 2.0 element types Chromium writes, as the PDF 1.7 types readers of its files know. */
const PDF_17_ROLES: Record<string, string> = {
  Strong: 'Span',
  Em: 'Span',
}

/**
 * Retags every Figure that holds text structure as a Div (its alternative text, if any, becomes its title) and maps
 * PDF 2.0 types to PDF 1.7 ones.
 */
export function repairTagTree(pdf: PDFDocument): void {
  const root = structureRoot(pdf)
  if (!root)
    return
  const roles = root.lookupMaybe(PDFName.of('RoleMap'), PDFDict) ?? pdf.context.obj({})
  for (const [type, role] of Object.entries(PDF_17_ROLES)) {
    if (!roles.has(PDFName.of(type)))
      roles.set(PDFName.of(type), PDFName.of(role))
  }
  root.set(PDFName.of('RoleMap'), roles)
  for (const element of descendants(root)) {
    if (typeOf(element) !== 'Figure' || !holdsText(element))
      continue
    element.set(PDFName.of('S'), PDFName.of('Div'))
    const alt = element.get(PDFName.of('Alt'))
    if (alt) {
      element.set(PDFName.of('T'), alt)
      element.delete(PDFName.of('Alt'))
    }
  }
}
