import type { ComputedRef, Ref } from 'vue'
import { computed, getCurrentInstance, inject, ref } from 'vue'
import { useReadingView } from './useReadingView.ts'

/**
 * Slidev 53's injection keys (values of the constants in @slidev/client/constants.ts). Importing
 * @slidev/client itself would pull its sources, which are not written for our strict settings, into
 * `npm run typecheck`; these strings are all we need from it.
 */
const slidevContextKey = '$$slidev-context'
const renderContextKey = '$$slidev-render-context'
const currentPageKey = '$$slidev-page'

/** The part of Slidev's (reactive, so unwrapped) navigation state we read. */
interface SlidevNavState {
  isPrintMode: boolean
  isPresenter: boolean
  currentSlideNo: number
}

export interface SlideMode {
  /** Export, print, `?print` or the reading view: static output. */
  print: ComputedRef<boolean>
  /** This slide is the one being shown in the main view or the presenter's current slide. */
  onScreen: ComputedRef<boolean>
  /** The presenter's current slide in presenter view (not the next-slide preview). */
  presenterView: ComputedRef<boolean>
}

/** Where a component inside a Slidev slide is being rendered. */
export function useSlideMode(): SlideMode {
  const slidev = inject<{ nav: SlidevNavState } | undefined>(slidevContextKey, undefined)
  // Print and export pages (/print, /export, the handout) give each slide a fixed navigation of its own
  // that does not know it is printing; the app-wide one, provided at the root, does.
  const app = getCurrentInstance()?.appContext.provides[slidevContextKey] as { nav: SlidevNavState } | undefined
  const renderContext = inject<Ref<string>>(renderContextKey, ref('none'))
  const page = inject<Ref<number>>(currentPageKey, ref(0))
  const nav = computed(() => slidev?.nav)
  const reading = useReadingView()
  const shown = computed(() => ['slide', 'presenter'].includes(renderContext.value))

  return {
    print: computed(() => reading || Boolean(app?.nav.isPrintMode || nav.value?.isPrintMode)),
    onScreen: computed(() => shown.value && page.value === nav.value?.currentSlideNo),
    presenterView: computed(() => (nav.value?.isPresenter ?? false) && renderContext.value === 'presenter'),
  }
}
