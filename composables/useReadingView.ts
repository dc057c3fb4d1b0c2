import type { InjectionKey } from 'vue'
import { inject } from 'vue'

/** Provided by the reading view (/les, reading/ReadingPage.vue), where the slides are one responsive document. */
export const readingViewKey: InjectionKey<boolean> = Symbol('samskaping-reading-view')

/** Whether a component is drawn in the reading view, where it takes the form that reflows to a phone's width. */
export function useReadingView(): boolean {
  return inject(readingViewKey, false)
}
