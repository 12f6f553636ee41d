import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'site/dist/', 'site/.astro/', 'data/', '**/fixtures/**', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Node's globals (the project runs on Node 24; browser code lives in site/ and is checked by Astro).
    languageOptions: {
      globals: Object.fromEntries(
        [
          'process',
          'console',
          'URL',
          'URLSearchParams',
          'Buffer',
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
          'setImmediate',
          'queueMicrotask',
          'structuredClone',
          'fetch',
          'AbortController',
          'AbortSignal',
          'TextEncoder',
          'TextDecoder',
          'performance',
          'Response',
          'Request',
          'Headers',
          'Blob',
          'crypto',
        ].map((name) => [name, 'readonly']),
      ),
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
