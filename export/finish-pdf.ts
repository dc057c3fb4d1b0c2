import { readFile, writeFile } from 'node:fs/promises'
import { PDFDocument, PDFHexString, PDFName } from 'pdf-lib'
import { repairTagTree } from './pdf-structure.ts'

export interface PdfMetadata {
  title: string
  author: string
  subject: string
}

/** A bookmark: a slide's title and the (0-based) page it starts on. */
export interface OutlineEntry {
  title: string
  page: number
}

/**
 * What Chromium's PDF lacks: title (shown in the viewer's window instead of the file name), author, subject and the
 * document language (nb), which screen readers need to pick a voice, and a tag tree repaired for PDF readers
 * (pdf-structure.ts: figures of text read as text, PDF 2.0 types mapped). With `outline`, the bookmarks are the slides' titles, one per slide, rather than Chromium's
 * headings, which repeat on every click step.
 */
export async function finishPdf(file: string, meta: PdfMetadata, outline?: OutlineEntry[]): Promise<void> {
  const pdf = await PDFDocument.load(await readFile(file), { updateMetadata: false })
  pdf.setTitle(meta.title, { showInWindowTitleBar: true })
  pdf.setAuthor(meta.author)
  pdf.setSubject(meta.subject)
  pdf.setLanguage('nb')
  pdf.setCreator('samskaping-deck (npm run export)')
  repairTagTree(pdf)
  if (outline?.length)
    setOutline(pdf, outline)
  await writeFile(file, await pdf.save())
}

function setOutline(pdf: PDFDocument, entries: OutlineEntry[]): void {
  const { context } = pdf
  const root = context.nextRef()
  const refs = entries.map(() => context.nextRef())
  entries.forEach((entry, index) => {
    context.assign(refs[index]!, context.obj({
      Title: PDFHexString.fromText(entry.title),
      Parent: root,
      Dest: [pdf.getPage(entry.page).ref, 'Fit'],
      ...(index > 0
        ? { Prev: refs[index - 1] }
        : {}),
      ...(index < refs.length - 1
        ? { Next: refs[index + 1] }
        : {}),
    }))
  })
  context.assign(root, context.obj({
    Type: 'Outlines',
    First: refs[0],
    Last: refs.at(-1),
    Count: refs.length,
  }))
  pdf.catalog.set(PDFName.of('Outlines'), root)
  pdf.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'))
}
