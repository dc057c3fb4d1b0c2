import type { Browser } from 'playwright-chromium'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import process from 'node:process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { palette } from '../../styles/palette.ts'
import { readSlides } from '../slides-source.ts'
import { launchBrowser } from './browser.ts'

// `npm run sheet` on the built deck: one image, every slide in light and in dark.
const slides = readSlides()
const outDir = mkdtempSync(join(tmpdir(), 'samskaping-sheet-'))
let browser: Browser

beforeAll(async () => {
  if (!existsSync(resolve('dist', 'index.html')))
    throw new Error('dist/ is missing: run `npm run build` before the end-to-end tests.')
  execFileSync(process.execPath, ['scripts/sheet.ts'], {
    env: {
      ...process.env,
      EXPORT_DIR: outDir,
      DIST_DIR: resolve('dist'),
    },
    stdio: 'inherit',
  })
  browser = await launchBrowser()
}, 180_000)

afterAll(async () => {
  await browser?.close()
  rmSync(outDir, { recursive: true, force: true })
})

describe('the contact sheet', () => {
  it('is one picture of every slide, in the light and the dark palette', async () => {
    const png = readFileSync(join(outDir, 'kontaktark.png'))
    const [width, height] = [
      png.readUInt32BE(16),
      png.readUInt32BE(20),
    ]
    // Six slides a row, light above dark: at least three rows of each.
    expect(width).toBeGreaterThan(6 * 300)
    expect(height).toBeGreaterThan(2 * Math.ceil(slides.length / 6) * 180)

    // Count the pixels of each mode's slide background: both halves of the sheet must be there, in equal measure.
    const page = await browser.newPage()
    const counts = await page.evaluate(async ({ data, papers }) => {
      const image = new Image()
      image.src = `data:image/png;base64,${data}`
      await image.decode()
      const canvas = new OffscreenCanvas(image.width, image.height)
      const context = canvas.getContext('2d')!
      context.drawImage(image, 0, 0)
      const pixels = context.getImageData(0, 0, image.width, image.height).data
      const wanted = papers.map(hex => [1, 3, 5].map(index => Number.parseInt(hex.slice(index, index + 2), 16)))
      const found = wanted.map(() => 0)
      for (let index = 0; index < pixels.length; index += 4) {
        wanted.forEach(([r, g, b], which) => {
          if (pixels[index] === r && pixels[index + 1] === g && pixels[index + 2] === b)
            found[which]!++
        })
      }
      return found.map(count => count / (image.width * image.height))
    }, {
      data: png.toString('base64'),
      papers: [palette.light.paper, palette.dark.paper],
    })
    await page.close()
    const [light, dark] = counts as [number, number]
    expect(light).toBeGreaterThan(0.15)
    expect(dark).toBeGreaterThan(0.15)
    expect(Math.abs(light - dark)).toBeLessThan(0.1)
  })
})
