import type { Browser } from 'playwright-chromium'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from './browser.ts'
import { slideTextProblems } from './slide-text.ts'

// The measurement the deck's text check relies on, on a page shaped like Slidev's: a canvas scaled by a transform,
// text inside SVG (viewBox), a foreignObject, a shadow root and a scaled box.
let browser: Browser

beforeAll(async () => {
  browser = await launchBrowser()
})

afterAll(() => browser?.close())

const page = `
<style>body{margin:0} .sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0)}</style>
<div id="slide-content" style="width:980px;height:552px;transform:scale(1.25);transform-origin:0 0">
  <div class="slidev-page-1">
    <p style="font-size:24px">Brødtekst</p>
    <p style="font-size:20px">Liten brødtekst</p>
    <span style="font-size:18px">Bildetekst</span>
    <span style="font-size:16px" aria-hidden="true">Sidetall</span>
    <span class="sr-only" style="font-size:10px">Bare for skjermlesere</span>
    <div style="transform:scale(0.5);transform-origin:0 0"><span style="font-size:30px">Krympet</span></div>
    <svg viewBox="0 0 200 100" width="100" height="50"><text x="0" y="40" font-size="30">Etikett</text></svg>
    <svg viewBox="0 0 200 100" width="400" height="200"><text x="0" y="40" font-size="10">Forstørret</text></svg>
    <svg viewBox="0 0 200 100" width="100" height="50"><foreignObject width="200" height="100"><div style="font-size:24px">Node</div></foreignObject></svg>
    <div id="host"></div>
    <p style="font-size:24px;position:absolute;left:1000px;top:0">Utenfor</p>
  </div>
</div>
<script>
  document.querySelector('#host').attachShadow({ mode: 'open' }).innerHTML = '<span style="font-size:12px">Skygge</span>'
</script>`

describe('slideTextProblems', () => {
  it('measures every visible text on the canvas: transforms, SVG, foreignObject and shadow roots', async () => {
    const context = await browser.newContext({
      viewport: { width: 1300, height: 720 },
    })
    const tab = await context.newPage()
    await tab.setContent(page)
    expect(await slideTextProblems(tab, 1)).toEqual([
      '«Liten brødtekst» is body text at 20.0px on the canvas, below 24px',
      '«Sidetall» is 16.0px on the canvas, below 18px',
      '«Krympet» is 15.0px on the canvas, below 18px',
      '«Etikett» is 15.0px on the canvas, below 18px',
      '«Node» is 12.0px on the canvas, below 18px',
      '«Skygge» is 12.0px on the canvas, below 18px',
      '«Utenfor» overflows the slide',
    ])
    await context.close()
  })
})
