import { test as base, type BrowserContext, type Worker } from '@playwright/test';
import type { SandboxUrls } from '../sandbox/extension-config';
import { extensionWorker, launchWithExtension } from './browser';
import { setUpExtension, type SetUpOptions } from './setup-extension';

export interface Fixtures {
  sandbox: SandboxUrls;
  context: BrowserContext;
  worker: Worker;
  /** Configures the extension as an administrator and a clinician would, through the options page and popup. */
  setUpExtension: (options?: SetUpOptions) => Promise<void>;
  /** Drives a sandbox server's control API. */
  control: (server: keyof SandboxUrls, path: string, init?: { method?: string; body?: unknown }) => Promise<unknown>;
}

export const test = base.extend<Fixtures>({
  sandbox: async ({}, use) => {
    const raw = process.env.SANDBOX_URLS;
    if (!raw) throw new Error('SANDBOX_URLS is not set: the global setup starts the sandbox.');
    await use(JSON.parse(raw) as SandboxUrls);
  },

  context: async ({}, use) => {
    const browser = await launchWithExtension();
    await use(browser.context);
    await browser.close();
  },

  worker: async ({ context }, use) => {
    await use(await extensionWorker(context));
  },

  setUpExtension: async ({ context, sandbox }, use) => {
    await use((options) => setUpExtension(context, sandbox, options));
  },

  control: async ({ sandbox }, use) => {
    const reset: (keyof SandboxUrls)[] = [];
    await use(async (server, path, init = {}) => {
      reset.push(server);
      const response = await fetch(`${sandbox[server]}/__sandbox/${path}`, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: { 'content-type': 'application/json' },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`Sandbox control ${server} ${path}: HTTP ${response.status} ${text}`);
      return text ? (JSON.parse(text) as unknown) : null;
    });
    // Leave the shared sandbox as we found it for the next test.
    for (const server of new Set(reset)) {
      await fetch(`${sandbox[server]}/__sandbox/faults`, { method: 'DELETE' });
      await fetch(`${sandbox[server]}/__sandbox/settings`, { method: 'DELETE' });
    }
  },
});

export { expect } from '@playwright/test';
