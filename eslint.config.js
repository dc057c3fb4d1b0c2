import antfu from '@antfu/eslint-config'

export default antfu(
  {
    vue: true,
    typescript: true,
    formatters: false,
    ignores: [
      'dist/**',
      'exports/**',
      '.data/**',
      '.tmp/**',
      'snippets/poll-results.json',
      '**/*.md',
    ],
  },
  {
    rules: {
      // Tests and the export check read what a person sees; innerText leaves out hidden text, textContent does not.
      'unicorn/prefer-dom-node-text-content': 'off',
    },
  },
  {
    // Whatever the deck or the voting page imports ends up in a bundle a phone can read before the reveal.
    ignores: ['server/**', 'tests/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/snippets/quiz-answers*'],
              message: 'Quiz answers are for the poll server only (server/poll-definitions.ts).',
            },
          ],
        },
      ],
    },
  },
)
