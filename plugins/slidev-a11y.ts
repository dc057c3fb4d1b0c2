/**
 * Accessibility fixes to Slidev's own interface that a stylesheet cannot make (the presenter view must meet
 * WCAG 2.1 AA: tests/e2e/accessibility.test.ts; colour fixes are in styles/presenter.css). Each patch quotes the exact
 * source it replaces and stops the build and dev server when a Slidev upgrade changes it, so it is revisited rather
 * than silently dropped.
 */
import type { Plugin } from 'vite'

interface SourcePatch {
  /** The end of the module id inside @slidev/client. */
  file: string
  why: string
  from: string
  to: string
}

const patches: SourcePatch[] = [
  {
    // The menus of the navigation bar (sync settings, more options) wrap their IconButton, itself a <button>, in a
    // second <button>: a control inside a control, announced twice and a second tab stop (axe: nested-interactive).
    // The inner button's click still bubbles to the wrapper, so mouse and keyboard open the menu as before.
    file: '/@slidev/client/internals/MenuButton.vue',
    why: 'nested buttons in the navigation bar menus',
    from: `<button :class="{ disabled }" @click="value = !value">
      <slot name="button" :value :class="{ disabled }" />
    </button>`,
    to: `<div :class="{ disabled }" @click="value = !value">
      <slot name="button" :value :class="{ disabled }" />
    </div>`,
  },
]

export function slidevA11yPlugin(): Plugin {
  return {
    name: 'samskaping-slidev-a11y',
    enforce: 'pre',
    transform(code, id) {
      const patch = patches.find(candidate => id.endsWith(candidate.file))
      if (!patch)
        return null
      if (!code.includes(patch.from))
        this.error(`Slidev's ${patch.file} has changed: the fix for ${patch.why} in plugins/slidev-a11y.ts no longer applies. Check the new source and update or drop the patch.`)
      return {
        code: code.replace(patch.from, patch.to),
        map: null,
      }
    },
  }
}
