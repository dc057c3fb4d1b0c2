import type { Plugin } from 'vite'
import { isAbsolute, resolve } from 'node:path'
import process from 'node:process'
import { fileURLToPath } from 'node:url'
import Vue from '@vitejs/plugin-vue'
import UnoCSS from 'unocss/vite'
import { defineConfig } from 'vite'
import { subsetFontsPlugin } from '../plugins/subset-fonts.ts'
import { voteFontSubset } from './font-subset.ts'

const voteDir = fileURLToPath(new URL('.', import.meta.url))
const root = resolve(voteDir, '..')

/** The fonts are asked for with the page, not once the stylesheet has been read: one round trip less. */
function fontPreloadPlugin(): Plugin {
  let base = '/'
  return {
    name: 'samskaping-vote-font-preload',
    apply: 'build',
    configResolved: (config) => {
      base = config.base
    },
    transformIndexHtml: {
      order: 'post',
      handler: (_, context) => Object.keys(context.bundle ?? {})
        .filter(file => file.endsWith('.woff2'))
        .map(file => ({
          tag: 'link',
          attrs: {
            rel: 'preload',
            as: 'font',
            type: 'font/woff2',
            crossorigin: true,
            href: `${base}${file}`,
          },
          injectTo: 'head',
        })),
    },
  }
}

/**
 * The phone voting page: its own small Vue app served at /v/ (`npm start` serves dist/vote/ there).
 * Build: `npx vite build --config vote/vite.config.ts` → dist/vote/.
 */
export default defineConfig({
  root: voteDir,
  base: '/v/',
  publicDir: false,
  // Its own dependency cache: in dev it runs beside Slidev's Vite server, which owns node_modules/.vite.
  cacheDir: resolve(voteDir, '../node_modules/.vite-vote'),
  define: {
    // The page uses only the Composition API: leave the Options API and devtools hooks out of the bundle.
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
  plugins: [
    Vue(),
    UnoCSS({
      configFile: resolve(voteDir, 'uno.config.ts'),
    }),
    subsetFontsPlugin(voteFontSubset, root),
    fontPreloadPlugin(),
    {
      // Vite resolves a relative --outDir against `root` (vote/); like any other tool, take it from where
      // the command runs, so `--outDir .tmp/vote-dist` means ./.tmp/vote-dist.
      name: 'samskaping-vote-out-dir',
      config(config) {
        const outDir = config.build?.outDir
        if (outDir && !isAbsolute(outDir)) {
          return {
            build: {
              outDir: resolve(process.cwd(), outDir),
            },
          }
        }
      },
    },
  ],
  build: {
    outDir: resolve(voteDir, '../dist/vote'),
    emptyOutDir: true,
    target: 'es2022',
    // One JS and one CSS file: fewer round trips on bad Wi-Fi matter more than caching split chunks.
    cssCodeSplit: false,
    modulePreload: { polyfill: false },
  },
})
