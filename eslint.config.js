import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// A small set of rules that catch bugs, none about style. The type-aware rules read types through the
// TypeScript 6 API (`typescript` is aliased to @typescript/typescript6 in package.json, as the TypeScript team
// recommends while typescript-eslint cannot use TypeScript 7); `tsc` itself is TypeScript 7 (@typescript/native).
export default defineConfig(
  {
    ignores: ['dist/**', 'dist-sandbox/**', 'test-results/**', 'playwright-report/**', 'tour-screenshots/**'],
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A promise nobody awaits loses its rejection: in the service worker that is a launch or audit failure
      // nobody hears of. Deliberate fire-and-forget is written `void promise`.
      '@typescript-eslint/no-floating-promises': 'error',
      // An async function where a void callback is expected (event listeners, onMessage) drops its rejection
      // and, for onMessage, changes what the browser does with the reply.
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // A message key built at run time escapes the MessageKey type and the key check: map codes to literal
      // keys instead (as shared/problem-messages.ts does).
      'no-restricted-syntax': [
        'error',
        {
          selector: `CallExpression:matches([callee.name=/^(t|uiString)$/], [callee.property.name='getMessage']) > :matches(TemplateLiteral, BinaryExpression, ConditionalExpression:has(TemplateLiteral)):first-child`,
          message: 'Message key built at run time: use a literal MessageKey or a map of them.',
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
);
