/**
 * What a phone shows before the deck's JavaScript has arrived: slide 1's title card as plain HTML and CSS inside
 * `#app`, in the deck's palette and the system font (the web fonts are still loading). Vue empties `#app` when it
 * mounts, so the real deck replaces it. On a slow mobile network this is the first contentful paint, seconds before
 * the slide itself (`npm run bench` prints both).
 */
import { palette } from './palette.ts'

const { light, dark } = palette

export function firstPaintHtml(title: string, author: string): string {
  // --u is one pixel of Slidev's 980 × 551 canvas, scaled to the window as Slidev scales the slide.
  const style = `
#first-paint{--u:min(calc(100vw / 980),calc(100vh / 551.25));position:fixed;inset:0;display:grid;place-items:center;
background:${light.paper};color:${light.ink};font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}
#first-paint>div{box-sizing:border-box;width:calc(980 * var(--u));height:calc(551.25 * var(--u));padding:0 calc(48 * var(--u));
display:grid;grid-template-columns:1fr calc(240 * var(--u));align-items:center;gap:calc(32 * var(--u))}
#first-paint h1{margin:0 0 calc(24 * var(--u));font-size:calc(52 * var(--u));line-height:1.08;font-weight:700;color:${light.fjord}}
#first-paint p{margin:0;font-size:calc(28 * var(--u));font-weight:700}
#first-paint svg{width:100%}
@media (prefers-color-scheme:dark){#first-paint{background:${dark.paper};color:${dark.ink}}#first-paint h1{color:${dark.fjord}}}`
  const circles = [
    [70, 70, dark.fjord],
    [130, 70, dark.glod],
    [100, 122, dark.sol],
  ].map(([cx, cy, fill]) => `<circle cx="${cx}" cy="${cy}" r="58" fill="${fill}" fill-opacity="0.85"/>`).join('')
  return `<div id="first-paint" aria-hidden="true"><style>${style.replace(/\n/g, '')}</style>`
    + `<div><div><h1>${escapeHtml(title)}</h1><p>${escapeHtml(author)}</p></div>`
    + `<svg viewBox="0 0 200 190">${circles}</svg></div></div>`
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, c => `&#${c.charCodeAt(0)};`)
}
