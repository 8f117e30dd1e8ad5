import { test } from '@playwright/test';
import type { SandboxUrls } from '../sandbox/extension-config';
import { launchFirefox, type Firefox, type FirefoxOptions } from './firefox-launcher';

/** The sandbox's addresses, as the global setup published them. */
export function sandboxUrls(): SandboxUrls {
  const raw = process.env.SANDBOX_URLS;
  if (!raw) throw new Error('SANDBOX_URLS is not set: the global setup starts the sandbox.');
  return JSON.parse(raw) as SandboxUrls;
}

/**
 * One Firefox for the whole spec file (Firefox takes seconds to start on two cores): started in beforeAll,
 * closed (and its profile removed) in afterAll. Call at the top of a spec file or describe block; `get()`
 * answers the running browser inside tests. When a test fails, the browser's output is attached to it.
 */
export function useFirefox(options: FirefoxOptions = {}): { get(): Firefox } {
  let firefox: Firefox | undefined;
  test.beforeAll(async () => {
    test.setTimeout(60_000);
    firefox = await launchFirefox(options);
  });
  test.afterEach(async ({}, testInfo) => {
    if (firefox && testInfo.status !== testInfo.expectedStatus) await testInfo.attach('firefox-output', { body: firefox.output().slice(-20_000), contentType: 'text/plain' });
  });
  test.afterAll(async () => {
    await firefox?.close();
    firefox = undefined;
  });
  return {
    get() {
      if (!firefox) throw new Error('Firefox is not running: useFirefox() starts it in beforeAll.');
      return firefox;
    },
  };
}

export { expect, test } from '@playwright/test';
