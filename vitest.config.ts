import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code they test; DOM tests opt in with `// @vitest-environment happy-dom`.
export default defineConfig({
  define: { __SANDBOX_BUILD__: 'true' },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'tests/sandbox/**/*.test.ts', 'tests/corpus/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 15_000,
    // Hooks start servers and in-process databases (PGlite takes seconds, longer while other files run too).
    hookTimeout: 60_000,
  },
});
