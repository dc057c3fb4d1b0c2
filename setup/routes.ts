import { defineRoutesSetup } from '@slidev/types'

// The handout (/handout?print): each slide with its speaker notes on A4, printed by `npm run export`.
export default defineRoutesSetup(routes => [
  {
    name: 'handout',
    path: '/handout',
    component: () => import('../handout/HandoutPage.vue'),
  },
  ...routes,
])
