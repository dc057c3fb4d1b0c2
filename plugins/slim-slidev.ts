/**
 * Keeps Slidev features this deck does not use out of its production bundle, so slide 1 stays within its transfer
 * budget (BENCHMARKS.md, `npm run bench`). Slidev's client installs them on every page load whether a slide uses them
 * or not. `npm run dev` keeps everything; the build fails, naming the file, if a slide starts using a feature left out
 * here: then delete that feature from the list. Measured on slide 1 (gzip, headers included): 305 kB before, 236 kB
 * after the first list (v-mark and v-motion's libraries 21.5 kB, the parser's YAML 10.6 kB, Vue's compiler and
 * Twoslash 37 kB); 205 kB before v-drag, the directives' own code and the lazy Goto search (fuse.js).
 */
import type { Plugin } from 'vite'
import { dirname, join } from 'node:path'

interface UnusedFeature {
  /** What a slide would use. */
  feature: string
  /** The module Slidev imports for it: a package, or a file of Slidev's client (`@slidev/client/…`, no extension). */
  module: string
  /** What the build uses instead: the module's interface, failing loudly if it is ever reached. */
  replacement: string
  /** Found in compiled slide or component code that uses the feature. */
  usedIn: RegExp
}

/** A directive module whose directive throws when a slide uses it. */
function leftOutDirective(exported: string, directive: string): string {
  return `export function ${exported}() {
    const off = () => { throw new Error("v-${directive} is left out of this build (plugins/slim-slidev.ts)") }
    return { install(app) { app.directive(${JSON.stringify(directive)}, { created: off, mounted: off }) } }
  }`
}

const unused: UnusedFeature[] = [
  {
    // The directive, rough.js and rough-notation.
    feature: 'the v-mark directive',
    module: '@slidev/client/modules/v-mark',
    replacement: leftOutDirective('createVMarkDirective', 'mark'),
    usedIn: /resolveDirective\(["']mark["']\)/,
  },
  {
    // The directive, @vueuse/motion and popmotion.
    feature: 'the v-motion directive',
    module: '@slidev/client/modules/v-motion',
    replacement: leftOutDirective('createVMotionDirectives', 'motion'),
    usedIn: /resolveDirective\(["']motion["']\)/,
  },
  {
    // The directive and its drag handles; an element only becomes draggable through v-drag or <v-drag>.
    feature: 'v-drag and <v-drag>',
    module: '@slidev/client/modules/v-drag',
    replacement: leftOutDirective('createVDragDirective', 'drag'),
    usedIn: /resolveDirective\(["']drag["']\)|builtin\/VDrag(?:Arrow)?\.vue|resolveComponent\(["']v-?drag/i,
  },
  {
    feature: 'v-drag and <v-drag>',
    module: '@slidev/client/internals/DragControl',
    replacement: 'export default { name: "DragControl", render() { throw new Error("v-drag is left out of this build (plugins/slim-slidev.ts)") } }',
    usedIn: /resolveDirective\(["']drag["']\)/,
  },
  {
    // The animation styles of ````md magic-move` code blocks; the deck has no code.
    feature: 'magic-move code blocks',
    module: '@shikijs/magic-move/style.css',
    replacement: '',
    usedIn: /ShikiMagicMove/,
  },
  {
    // The type-info popups of Shiki Twoslash code blocks; the deck has no code.
    feature: 'Twoslash code blocks',
    module: '@shikijs/vitepress-twoslash/client',
    replacement: 'export default { install() {} }',
    usedIn: /resolveComponent\(["']v-menu["']\)/,
  },
]

/**
 * Slidev's «go to slide» dialog (the G key) searches titles with fuse.js, 9 kB gzip that every visitor downloaded
 * before slide 1. The dialog keeps its fuzzy search: fuse.js loads when the dialog first searches, and the search
 * result (a computed) updates when it has arrived.
 */
const LAZY_FUSE = `import { shallowRef } from 'vue'
const loaded = shallowRef()
let loading
export default class LazyFuse {
  constructor(list, options) {
    this.list = list
    this.options = options
    loading ??= import('fuse.js').then(module => loaded.value = module.default)
  }
  search(pattern) {
    if (!loaded.value)
      return []
    this.fuse ??= new loaded.value(this.list, this.options)
    return this.fuse.search(pattern)
  }
}`

const VIRTUAL = '\0slim-slidev:'
const LAZY_FUSE_ID = `${VIRTUAL}lazy-fuse`

/** The Slidev client file a relative import points at, e.g. `@slidev/client/modules/v-mark`, without its extension. */
function slidevClientFile(source: string, importer: string | undefined): string | undefined {
  if (!importer || !source.startsWith('.'))
    return undefined
  const path = join(dirname(importer.split('?')[0]!), source).replace(/\.(?:ts|vue)$/, '')
  const at = path.lastIndexOf('/@slidev/client/')
  return at === -1
    ? undefined
    : path.slice(at + 1)
}

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
        const module = slidevClientFile(source, importer) ?? source
        const feature = unused.find(candidate => candidate.module === module)
        if (feature)
          return VIRTUAL + feature.module
        if (source === 'fuse.js' && importer?.split('?')[0]!.endsWith('/@slidev/client/internals/Goto.vue'))
          return LAZY_FUSE_ID
        // The same function from the module that defines it, without the YAML library the parser's core imports.
        if (source === '@slidev/parser/core' && importer?.endsWith('/@slidev/client/logic/utils.ts'))
          return this.resolve('@slidev/parser/utils', importer)
        // Twoslash's stylesheet bundles floating-vue's, which Slidev's own menus (drawing, settings) need.
        if (source === '@shikijs/vitepress-twoslash/style.css')
          return this.resolve('floating-vue/dist/style.css', importer)
        return null
      },
      load(id) {
        if (id === LAZY_FUSE_ID)
          return LAZY_FUSE
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
