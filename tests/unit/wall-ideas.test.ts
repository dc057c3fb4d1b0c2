// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { IDEA_MAX_LENGTH, IDEA_WALL_MAX } from '../../polls/kinds/ideas/index.ts'
import { linesOf, rankIdeas, SLIDE_WALL, wallIdeas } from '../../polls/kinds/ideas/wall-ideas.ts'

const short = (count: number) => Array.from({ length: count }, (_, index) => ({ text: `Idé ${index}`, lifts: index }))
function long(text: string, lifts: number) {
  return {
    text: `${text} ${'lang forklaring '.repeat(20)}`.slice(0, IDEA_MAX_LENGTH),
    lifts,
  }
}

describe('the ideas the slide shows', () => {
  it('puts the most lifted first, equal lifts in Norwegian alphabetical order', () => {
    expect(rankIdeas([
      { text: 'Åpne dører', lifts: 2 },
      { text: 'Zebraer', lifts: 2 },
      { text: 'Ørsmå budsjetter', lifts: 2 },
      { text: 'Møter', lifts: 5 },
    ]).map(idea => idea.text)).toEqual([
      'Møter',
      'Zebraer',
      'Ørsmå budsjetter',
      'Åpne dører',
    ])
  })

  it('shows at most the wall\'s eight short ideas', () => {
    const shown = wallIdeas(short(12), SLIDE_WALL)
    expect(shown).toHaveLength(IDEA_WALL_MAX)
    expect(shown[0]).toEqual({ text: 'Idé 11', lifts: 11 })
    expect(shown.at(-1)).toEqual({ text: 'Idé 4', lifts: 4 })
  })

  it('shows fewer long ideas, so none runs off the slide', () => {
    const ideas = Array.from({ length: 8 }, (_, index) => long(`Idé ${index}`, index))
    const shown = wallIdeas(ideas, SLIDE_WALL)
    expect(shown.map(idea => idea.lifts)).toEqual([7, 6, 5])
    const height = shown.reduce((sum, idea) => sum + linesOf(idea.text, SLIDE_WALL.charsPerLine) * SLIDE_WALL.lineHeight, 0)
      + (shown.length - 1) * SLIDE_WALL.gap
    expect(height).toBeLessThanOrEqual(SLIDE_WALL.height)
  })

  it('never lets a less lifted short idea pass a long one that does not fit, and always shows the most lifted', () => {
    const ideas = [
      long('Først', 9),
      long('Andre', 8),
      long('Tredje', 7),
      long('Fjerde', 6),
      { text: 'Kort', lifts: 1 },
    ]
    expect(wallIdeas(ideas, SLIDE_WALL).map(idea => idea.lifts)).toEqual([9, 8, 7])
    expect(wallIdeas([
      long('Alene', 1),
    ], { ...SLIDE_WALL, height: 10 })).toHaveLength(1)
  })

  it('counts capitals as wider than small letters', () => {
    expect(linesOf('kort', 48)).toBe(1)
    expect(linesOf('a'.repeat(96), 48)).toBe(2)
    expect(linesOf('A'.repeat(96), 48)).toBe(3)
  })
})
