import { byCountThenText } from '../words/index.ts'
import { IDEA_WALL_MAX } from './index.ts'

/** An idea as the slide shows it. */
export interface WallIdea {
  text: string
  lifts: number
}

/** The room the slide's list has (px on the 980-px canvas), so the most lifted ideas never run off the slide. */
export interface WallSpace {
  height: number
  lineHeight: number
  /** Between two ideas. */
  gap: number
  /** Characters a line surely holds, word wrapping counted in. */
  charsPerLine: number
}

/** Beside the join code, under a question of two lines, with one line kept for «+ 3 andre idéer»; text at 24 px. */
export const SLIDE_WALL: WallSpace = {
  height: 296,
  lineHeight: 30,
  gap: 6,
  charsPerLine: 48,
}

/** Most lifted first; equal lifts in Norwegian alphabetical order (the same order as the saved results). */
export function rankIdeas<T extends WallIdea>(ideas: readonly T[]): T[] {
  return [...ideas].sort((a, b) => byCountThenText(a.lifts, a.text, b.lifts, b.text))
}

/** Lines a text takes; capitals are wider than the average letter. */
export function linesOf(text: string, charsPerLine: number): number {
  const width = [...text].reduce((sum, char) => sum + (char !== char.toLocaleLowerCase('nb')
    ? 1.3
    : 1), 0)
  return Math.max(1, Math.ceil(width / charsPerLine))
}

/**
 * The ideas the slide shows: the most lifted, at most `max`, and only as many as `space` holds; the most lifted one
 * always. A long idea ends the list rather than letting a less lifted short one pass it.
 */
export function wallIdeas(ideas: readonly WallIdea[], space: WallSpace, max = IDEA_WALL_MAX): WallIdea[] {
  const shown: WallIdea[] = []
  let used = -space.gap
  for (const idea of rankIdeas(ideas).slice(0, max)) {
    const height = space.gap + linesOf(idea.text, space.charsPerLine) * space.lineHeight
    if (shown.length > 0 && used + height > space.height)
      break
    shown.push(idea)
    used += height
  }
  return shown
}
