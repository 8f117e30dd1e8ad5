import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// A small set of rules that catch bugs, none about style. The type-aware rules read types through the
// TypeScript 6 API (`typescript` is aliased to @typescript/typescript6 in package.json, as the TypeScript team
// recommends while typescript-eslint cannot use TypeScript 7); `tsc` itself is TypeScript 7 (@typescript/native).
// A message key built at run time escapes the MessageKey type and the key check: map codes to literal keys
// instead (as shared/problem-messages.ts does).
const MESSAGE_KEY_BUILT_AT_RUN_TIME = {
  selector: `CallExpression:matches([callee.name=/^(t|uiString)$/], [callee.property.name='getMessage']) > :matches(TemplateLiteral, BinaryExpression, ConditionalExpression:has(TemplateLiteral)):first-child`,
  message: 'Message key built at run time: use a literal MessageKey or a map of them.',
};

export default defineConfig(
  {
    ignores: ['dist/**', 'dist-*/**', 'test-results/**', 'playwright-report/**', 'tour-screenshots/**'],
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
      'no-restricted-syntax': ['error', MESSAGE_KEY_BUILT_AT_RUN_TIME],
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'webextension-polyfill', message: 'Not used: import `browser` from src/shared/browser-api.ts.' }] },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // One browser-API surface in the extension (docs/architecture.md, "One browser API"): Firefox's `browser` or
    // Chromium's `chrome`, chosen once in src/shared/browser-api.ts. Types (`chrome.tabs.Tab`) are not affected;
    // scripts and e2e tests that run code inside Chromium through Playwright may use `chrome` there.
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        MESSAGE_KEY_BUILT_AT_RUN_TIME,
        {
          selector: "MemberExpression[object.type='Identifier'][object.name='chrome']",
          message: 'Direct chrome.* call: use `browser` from src/shared/browser-api.ts.',
        },
      ],
    },
  },
);
