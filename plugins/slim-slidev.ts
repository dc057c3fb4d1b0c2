/**
 * Keeps Slidev features this deck does not use out of its production bundle, so slide 1 stays within its transfer
 * budget (BENCHMARKS.md, `npm run bench`). Slidev's client installs them on every page load whether a slide uses them
 * or not. `npm run dev` keeps everything; the build fails, naming the file, if a slide starts using a feature left out
 * here: then delete that feature from the list. Measured on slide 1 (gzip, headers included): 305 kB before, 236 kB
 * after; v-mark and v-motion together were 21.5 kB of that, the parser's YAML 10.6 kB, Vue's compiler and Twoslash 37 kB.
 */
import type { Plugin } from 'vite'

interface UnusedFeature {
  /** What a slide would use. */
  feature: string
  /** The module Slidev imports for it. */
  module: string
  /** What the build uses instead: the module's interface, failing loudly if it is ever reached. */
  replacement: string
  /** Found in compiled slide or component code that uses the feature. */
  usedIn: RegExp
}

const unused: UnusedFeature[] = [
  {
    // rough.js and rough-notation.
    feature: 'the v-mark directive',
    module: '@slidev/rough-notation',
    replacement: 'export function annotate() { throw new Error("v-mark is left out of this build (plugins/slim-slidev.ts)") }',
    usedIn: /resolveDirective\(["']mark["']\)/,
  },
  {
    // @vueuse/motion and popmotion.
    feature: 'the v-motion directive',
    module: '@vueuse/motion',
    replacement: `export function MotionDirective() {
      const off = () => { throw new Error("v-motion is left out of this build (plugins/slim-slidev.ts)") }
      return { created: off, mounted: off }
    }`,
    usedIn: /resolveDirective\(["']motion["']\)/,
  },
  {
    // The type-info popups of Shiki Twoslash code blocks; the deck has no code.
    feature: 'Twoslash code blocks',
    module: '@shikijs/vitepress-twoslash/client',
    replacement: 'export default { install() {} }',
    usedIn: /resolveComponent\(["']v-menu["']\)/,
  },
]

const VIRTUAL = '\0slim-slidev:'

export function slimSlidevPlugin(): Plugin[] {
  return [
    {
      name: 'samskaping-slim-slidev',
      apply: 'build',
      enforce: 'pre',
      config: () => ({
        resolve: {
          // Slidev aliases vue to the build that also compiles templates in the browser; every template here is
          // compiled at build time, so the runtime-only build does (~120 kB minified less).
          alias: [
            { find: /^vue$/, replacement: 'vue/dist/vue.runtime.esm-bundler.js' },
          ],
        },
      }),
      resolveId(source, importer) {
        const feature = unused.find(candidate => candidate.module === source)
        if (feature)
          return VIRTUAL + feature.module
        // The same function from the module that defines it, without the YAML library the parser's core imports.
        if (source === '@slidev/parser/core' && importer?.endsWith('/@slidev/client/logic/utils.ts'))
          return this.resolve('@slidev/parser/utils', importer)
        // Twoslash's stylesheet bundles floating-vue's, which Slidev's own menus (drawing, settings) need.
        if (source === '@shikijs/vitepress-twoslash/style.css')
          return this.resolve('floating-vue/dist/style.css', importer)
        return null
      },
      load(id) {
        return id.startsWith(VIRTUAL)
          ? unused.find(feature => VIRTUAL + feature.module === id)?.replacement
          : null
      },
    },
    {
      name: 'samskaping-slim-slidev-guard',
      apply: 'build',
      enforce: 'post',
      transform(code, id) {
        const used = unused.find(feature => feature.usedIn.test(code))
        if (used)
          this.error(`${id} uses ${used.feature}, which plugins/slim-slidev.ts leaves out of the build: delete it from the list there.`)
        return null
      },
    },
  ]
}
