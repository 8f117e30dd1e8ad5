import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests in Debian's Firefox ESR. Playwright Test is only the runner here: the specs start Firefox
 * themselves (tests/firefox/firefox-launcher.ts) and drive it over WebDriver BiDi, with the Firefox build
 * (dist-firefox-sandbox/) installed by path, against the partner sandbox that global setup starts.
 */
export default defineConfig({
  testDir: 'tests/firefox',
  testMatch: '**/*.spec.ts',
  globalSetup: './tests/firefox/global-setup.ts',
  // Two cores: one browser at a time. Each spec file starts one Firefox and runs its tests in order in it.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // hostile-reporter prints "hostile cases: N, defended: M" for the tests tagged @hostile, as in Chromium.
  reporter: [['list'], ['./tests/e2e/hostile-reporter.ts']],
  outputDir: 'test-results/firefox',
});
