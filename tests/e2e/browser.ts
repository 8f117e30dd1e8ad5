import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext } from '@playwright/test';

/** The extension id, fixed by the `key` in manifest.json. */
export const EXTENSION_ID = 'ikbkgfoadadldhedkemepfmjnahodadh';
export const EXTENSION_DIR = resolve(import.meta.dirname, '../../dist-sandbox');

/** Debian's Chromium (or CHROMIUM_PATH); Playwright's own build only when that is missing and one is installed. */
export function chromiumPath(): string | undefined {
  const wanted = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(wanted)) return wanted;
  const bundled = chromium.executablePath();
  if (bundled && existsSync(bundled)) return bundled;
  throw new Error(`No Chromium at ${wanted}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.`);
}

export const CHROMIUM_ARGS = [
  `--disable-extensions-except=${EXTENSION_DIR}`,
  `--load-extension=${EXTENSION_DIR}`,
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
];

export interface LaunchedBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh profile with the built extension loaded (or, for comparisons, the same browser without it). */
export async function launchWithExtension(options: { headless?: boolean; profileDir?: string; withoutExtension?: boolean; extraArgs?: string[] } = {}): Promise<LaunchedBrowser> {
  if (!options.withoutExtension && !existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`The extension is not built at ${EXTENSION_DIR}: run npm run build:sandbox first.`);
  }
  const profileDir = options.profileDir ?? (await mkdtemp(join(tmpdir(), 'ehr-launchpad-profile-')));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath(),
    headless: options.headless ?? true,
    args: [...(options.withoutExtension ? CHROMIUM_ARGS.filter((arg) => !arg.includes('extension')) : CHROMIUM_ARGS), ...(options.extraArgs ?? [])],
    viewport: { width: 1280, height: 860 },
  });
  return {
    context,
    async close() {
      await context.close();
      if (!options.profileDir) await rm(profileDir, { recursive: true, force: true });
    },
  };
}

/** The extension's service worker, waiting for it to start if needed. */
export async function extensionWorker(context: BrowserContext) {
  const running = context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${EXTENSION_ID}/`));
  return running ?? context.waitForEvent('serviceworker', { predicate: (w) => w.url().startsWith(`chrome-extension://${EXTENSION_ID}/`) });
}
