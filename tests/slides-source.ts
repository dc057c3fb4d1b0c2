import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseSync } from '@slidev/parser'
import { findPoll } from '../polls/catalog.ts'
import { polls } from '../snippets/polls.ts'

export interface SourceSlide {
  /** 1-based, as in the deck's URLs. */
  number: number
  title: string | undefined
  layout: string | undefined
  note: string
  clicks: number
  /** The poll a `<Poll id="…"/>` on this slide shows. */
  pollId: string | undefined
}

/** The slides as written in slides.md, so tests follow the talk instead of a copied list. */
export function readSlides(): SourceSlide[] {
  const file = resolve(import.meta.dirname, '../slides.md')
  const data = parseSync(readFileSync(file, 'utf8'), file)
  return data.slides.map((slide, index) => ({
    number: index + 1,
    title: slide.title?.replace(/<[^>]+>/g, '').replace(/[*_`]/g, '').trim() || undefined,
    layout: slide.frontmatter.layout as string | undefined,
    note: slide.note?.trim() ?? '',
    clicks: countClicks(slide.content),
    pollId: slide.content.match(/<Poll\s+id="([^"]+)"/)?.[1],
  }))
}

function countClicks(content: string): number {
  return (content.match(/v-click(?!s)|<v-click>/g) ?? []).length
}

/** The text a person must see on the slide: a poll's question, else the slide's title. */
export function keyText(slide: SourceSlide): string | undefined {
  const text = slide.pollId
    ? findPoll(polls, slide.pollId)?.question
    : slide.title
  return text?.replace(/\s+/g, ' ')
}
