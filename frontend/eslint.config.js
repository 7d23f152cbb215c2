import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist',
      'node_modules',
      'test-output',
      'playwright-report',
      'public/env.js',
      'src/api/generated',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The build defines SHELL and VERSION above the worker's code.
    files: ['pwa/serviceWorker.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { ...globals.serviceworker, SHELL: 'readonly', VERSION: 'readonly' },
    },
  },
);
