import { test } from '@playwright/test';
import type { SandboxUrls } from '../sandbox/extension-config';
import { launchFirefox, type Firefox, type FirefoxOptions } from './firefox-launcher';
import { Tab } from './pages/tab';
import { setUpExtension } from './setup-extension';

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

/**
 * After each test, closes the tabs it opened: every tab that was not open when `mark()` was last called (nothing
 * is closed before the first mark).
 */
export function closeNewTabsAfterEach(browser: { get(): Firefox }): { mark(): Promise<void>; marked(): boolean } {
  let kept: Set<string> | undefined;
  test.afterEach(async () => {
    if (!kept) return;
    const firefox = browser.get();
    for (const tab of await firefox.tabs()) if (!kept.has(tab.context)) await new Tab(firefox, tab.context).close().catch(() => undefined);
  });
  return {
    async mark() {
      kept = new Set((await browser.get().tabs()).map((t) => t.context));
    },
    marked: () => kept !== undefined,
  };
}

/**
 * useFirefox() with the extension set up once for the file, as an administrator and a clinician would
 * (setUpExtension), after `before` (a sandbox reset, say); each test then leaves only the tabs open after set-up.
 */
export function useConfiguredFirefox(options: { timeoutMs?: number; before?: (sandbox: SandboxUrls) => Promise<void> } = {}): { get(): Firefox } {
  const browser = useFirefox();
  const tabs = closeNewTabsAfterEach(browser);
  test.beforeAll(async () => {
    test.setTimeout(options.timeoutMs ?? 90_000);
    const sandbox = sandboxUrls();
    await options.before?.(sandbox);
    await setUpExtension(browser.get(), sandbox);
    await tabs.mark();
  });
  return browser;
}

export { expect, test } from '@playwright/test';
