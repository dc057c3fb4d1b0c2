import type { Directive } from 'vue'

/**
 * Stand-ins for Slidev's v-click / v-after that record where each element would appear, so component
 * tests can check the reveal order without the Slidev runtime.
 */
export const recordingClickDirectives: Record<string, Directive<HTMLElement, unknown>> = {
  click: {
    mounted(el, binding) {
      el.dataset.clickAt = binding.value === undefined
        ? 'next'
        : String(binding.value)
    },
  },
  after: {
    mounted(el) {
      el.dataset.clickAt = 'with-previous'
    },
  },
}
