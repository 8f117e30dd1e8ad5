import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code they test; DOM tests opt in with `// @vitest-environment happy-dom`.
// By default they run with the sandbox build's URL rules (http://127.0.0.1 allowed, as the local partner sandbox
// needs); `vitest run --mode production` (npm run test:unit:prod) runs them with the production rules instead.
export default defineConfig(({ mode }) => ({
  define: { __SANDBOX_BUILD__: JSON.stringify(mode !== 'production'), __FIREFOX_BUILD__: 'false' },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'tests/sandbox/**/*.test.ts', 'tests/corpus/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 15_000,
    // Hooks start servers and in-process databases (PGlite takes seconds, longer while other files run too).
    hookTimeout: 60_000,
  },
}));
