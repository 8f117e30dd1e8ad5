import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive the real built extension (dist-sandbox/) in Debian's Chromium against the partner
 * sandbox, which global setup starts on free ports on 127.0.0.1. Each test gets a fresh browser profile.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './tests/e2e/global-setup.ts',
  // Two cores: one browser at a time keeps timings honest and the machine responsive.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // hostile-reporter prints "hostile cases: N, defended: M" for the tests tagged @hostile (docs/security.md).
  reporter: process.env.CI ? [['list'], ['./tests/e2e/hostile-reporter.ts']] : [['list'], ['./tests/e2e/hostile-reporter.ts']],
  outputDir: 'test-results',
  use: { trace: 'off', screenshot: 'off' },
});
