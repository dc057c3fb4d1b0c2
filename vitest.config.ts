import { fileURLToPath } from 'node:url'
import Vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          Vue(),
        ],
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          // Component tests get a DOM; tests of plain logic say `@vitest-environment node` and skip its set-up.
          environment: 'happy-dom',
          // Every core: Vitest keeps one free by default, which on a 2-core machine runs these files one at a time.
          maxWorkers: '100%',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          // Poll servers started by these tests run the fixture polls, not the talk's (loaded by main.ts).
          env: {
            POLL_DEFINITIONS: fileURLToPath(new URL('tests/fixtures/polls.ts', import.meta.url)),
          },
          testTimeout: 30_000,
          hookTimeout: 30_000,
          // Two files at a time: one at a time kept about one core of two busy (91 s → 56 s here; it passed with one core
          // kept busy by something else).
          maxWorkers: '100%',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Two files at a time, each with its own browser, servers and temporary folders: much of a file's time is
          // waiting on a page or an export (480 s → 245–345 s here; it passed with one core kept busy by something else).
          maxWorkers: '100%',
          // A page in a real browser, on a machine whose host may take a core at any moment: what it shows is waited for
          // up to 10 s (Vitest's default of 1 s was too short for the presenter view's notes in one CI run).
          expect: {
            poll: { timeout: 10_000 },
          },
        },
      },
    ],
  },
})
