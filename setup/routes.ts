import { defineRoutesSetup } from '@slidev/types'

// /resultater: every session's poll results, for the presenter (token). /handout?print: each slide with its speaker
// notes on A4. /print: Slidev's print view, which Slidev leaves out of a build; `npm run export` prints both from the
// built deck, the files viewers get. /les: the talk as a responsive document for phones and screen readers. Each is
// its own lazy chunk, so slide 1 loads none of them.
export default defineRoutesSetup(routes => [
  {
    name: 'resultater',
    path: '/resultater',
    component: () => import('../results/ResultsPage.vue'),
  },
  {
    name: 'handout',
    path: '/handout',
    component: () => import('../handout/HandoutPage.vue'),
  },
  {
    name: 'les',
    path: '/les',
    component: () => import('../reading/ReadingPage.vue'),
  },
  ...(routes.some(route => route.name === 'print')
    ? []
    : [
        {
          name: 'print',
          path: '/print',
          component: () => import('@slidev/client/pages/print.vue'),
        },
      ]),
  ...routes,
])
