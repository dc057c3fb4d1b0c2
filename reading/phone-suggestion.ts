import type { Router } from 'vue-router'
import './phone-suggestion.css'

/**
 * A phone held upright shows the 16:9 slide as a strip with its text shrunk to a few pixels. There the deck offers
 * the reading view in the empty space above the slide, at the phone's own text size: a link on the page itself,
 * outside Slidev's scaled canvas (CSS shows it on narrow portrait screens only). Plain DOM rather than a Teleport,
 * which would add its runtime to slide 1's download. Shown in the deck's own view: not in a link preview (embedded),
 * print, the presenter's window or the reading view.
 */
export function suggestReadingOnPhones(router: Router): void {
  const link = document.createElement('a')
  link.className = 'reading-suggestion'
  link.href = router.resolve('/les').href
  link.append('Leser du på mobilen? ')
  link.append(Object.assign(document.createElement('strong'), { textContent: 'Les som tekst' }))
  link.append(' – alle lysbildene og notatene, tilpasset skjermen.')
  link.addEventListener('click', (event) => {
    event.preventDefault()
    void router.push('/les')
  })
  const update = () => {
    const { name, query } = router.currentRoute.value
    link.hidden = name !== 'play' || 'embedded' in query || 'print' in query
  }
  router.afterEach(update)
  update()
  document.body.append(link)
}
