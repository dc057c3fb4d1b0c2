import type { ComponentPublicInstance } from 'vue'
import { defineAppSetup } from '@slidev/types'
import { usePresenterToken } from '../composables/usePresenterToken.ts'
import { suggestReadingOnPhones } from '../reading/phone-suggestion.ts'

/** The slide a component belongs to: Slidev's SlideWrapper carries the slide's route. */
function slideNumberOf(instance: ComponentPublicInstance | null): number | undefined {
  for (let current = instance; current; current = current.$parent) {
    const route = (current.$props as { route?: { no?: unknown } }).route
    if (typeof route?.no === 'number')
      return route.no
  }
  return undefined
}

export default defineAppSetup(({ app, router }) => {
  // A component that fails names its slide, so `npm run export` (and a speaker reading the console) can say which
  // slide is broken instead of printing a page with a hole in it.
  app.config.errorHandler = (error, instance, info) => {
    const slide = slideNumberOf(instance)
    console.error(`${slide
      ? `Lysbilde ${slide}: `
      : ''}${error instanceof Error
      ? error.message
      : String(error)} (${info})`, error)
  }

  // The presenter link's ?token= is kept and taken out of the address on the first navigation: Slidev copies the
  // route's query into every slide's address, so the router must forget it too, not only the address bar.
  router.beforeEach((to) => {
    if (to.query.token === undefined)
      return true
    usePresenterToken()
    const { token: _token, ...query } = to.query
    return {
      path: to.path,
      query,
      hash: to.hash,
      replace: true,
    }
  })
  suggestReadingOnPhones(router)
})
