import { readFile } from 'node:fs/promises'
import { parseSync } from '@slidev/parser'

export interface SlideText {
  title: string
  /** The speaker notes as written (Markdown). */
  note: string
}

export interface Talk {
  title: string
  author: string
  subject: string
  slides: SlideText[]
}

/** What the export needs to know about the talk, read from slides.md. */
export async function readTalk(entry = 'slides.md'): Promise<Talk> {
  const data = parseSync(await readFile(entry, 'utf8'), entry)
  const headmatter = data.slides[0]?.frontmatter ?? {}
  return {
    title: String(headmatter.title ?? ''),
    author: String(headmatter.author ?? ''),
    subject: String(headmatter.info ?? '').trim(),
    slides: data.slides.map(slide => ({
      title: slide.title?.replace(/<[^>]+>/g, '').trim() ?? '',
      note: slide.note?.trim() ?? '',
    })),
  }
}
