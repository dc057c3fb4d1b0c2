// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { diagram, palette, textColors } from '../../styles/palette.ts'
import { voteColorCss, voteColors } from '../../vote/colors.ts'

/** WCAG 2.1 relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const channels = [1, 3, 5].map(i => Number.parseInt(hex.slice(i, i + 2), 16) / 255)
  const [r, g, b] = channels.map(c => (c <= 0.03928
    ? c / 12.92
    : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number]
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

function contrast(a: string, b: string): number {
  const [light, dark] = [
    luminance(a),
    luminance(b),
  ].sort((x, y) => y - x) as [number, number]
  return (light + 0.05) / (dark + 0.05)
}

describe('the palette', () => {
  it('checks its contrast function against known values', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2)
  })

  it('defines the same colours in light and dark mode', () => {
    expect(Object.keys(palette.dark)).toEqual(Object.keys(palette.light))
  })

  for (const mode of ['light', 'dark'] as const) {
    const colors = palette[mode]
    it.each(textColors.flatMap(text => (['paper', 'surface'] as const).map(bg => [text, bg] as const)))(
      `${mode}: %s text on %s reaches 4.5:1`,
      (text, bg) => {
        expect(contrast(colors[text], colors[bg])).toBeGreaterThanOrEqual(4.5)
      },
    )

    it(`${mode}: page-coloured text on the fjord and glød fills reaches 4.5:1`, () => {
      expect(contrast(colors.paper, colors.fjord)).toBeGreaterThanOrEqual(4.5)
      expect(contrast(colors.paper, colors.glod)).toBeGreaterThanOrEqual(4.5)
    })

    it(`${mode}: the diagram's arrows reach 3:1 against the page`, () => {
      expect(contrast(diagram.line, colors.paper)).toBeGreaterThanOrEqual(3)
    })
  }

  it('keeps the diagram\'s box text readable', () => {
    expect(contrast(diagram.text, diagram.fill)).toBeGreaterThanOrEqual(4.5)
  })
})

describe('the voting page\'s colours', () => {
  for (const mode of ['light', 'dark'] as const) {
    const colors = voteColors(palette[mode])

    it(`${mode}: are the deck's, with text readable on the page and on a chosen answer`, () => {
      expect(colors.accent).toBe(palette[mode].fjord)
      expect(colors.paper).toBe(palette[mode].paper)
      for (const text of [
        'ink',
        'muted',
        'accent',
        'ok',
        'danger',
      ] as const) {
        expect(contrast(colors[text], colors.paper), text).toBeGreaterThanOrEqual(4.5)
        expect(contrast(colors[text], colors.chosen), text).toBeGreaterThanOrEqual(4.5)
      }
      expect(contrast(colors['on-accent'], colors.accent)).toBeGreaterThanOrEqual(4.5)
    })

    it(`${mode}: borders of answers and the focus ring reach 3:1`, () => {
      for (const line of ['line', 'focus', 'accent'] as const) {
        expect(contrast(colors[line], colors.paper), line).toBeGreaterThanOrEqual(3)
        expect(contrast(colors[line], colors.chosen), line).toBeGreaterThanOrEqual(3)
      }
    })
  }

  it('follow the phone\'s colour scheme', () => {
    const css = voteColorCss()
    expect(css).toContain(`--paper:${palette.light.paper};`)
    expect(css).toMatch(new RegExp(`@media \\(prefers-color-scheme:dark\\)\\{:root\\{[^}]*--paper:${palette.dark.paper};`))
  })
})
