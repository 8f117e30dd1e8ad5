import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from '@playwright/test';

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

/** Chromium's switches with this unpacked extension loaded (the sandbox build unless told otherwise). */
export function chromiumArgs(extensionDir = EXTENSION_DIR): string[] {
  return [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`, ...BROWSER_ARGS];
}

const BROWSER_ARGS = [
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

export interface LaunchOptions {
  headless?: boolean;
  profileDir?: string;
  withoutExtension?: boolean;
  extraArgs?: string[];
  /** Another copy of a build to load (default: dist-sandbox/). */
  extensionDir?: string;
  /** False when the caller closes the browser itself on Ctrl-C (and cleans up after it). */
  handleSignals?: boolean;
  /**
   * A fresh install with no configuration opens the options page's "Get started" card in a tab of its own.
   * `close` (the default for a fresh profile) waits for that tab and closes it, so no test meets a tab it did not
   * open; `keep` waits for it and leaves it; `none` expects none (policy configures the browser, or the profile
   * is not fresh).
   */
  getStartedTab?: 'close' | 'keep' | 'none';
}

/** The tab a fresh, unconfigured install opens. */
export const GET_STARTED_URL = `chrome-extension://${EXTENSION_ID}/src/options/index.html#get-started`;

/** A fresh profile with the built extension loaded (or, for comparisons, the same browser without it). */
export async function launchWithExtension(options: LaunchOptions = {}): Promise<LaunchedBrowser> {
  const extensionDir = options.extensionDir ?? EXTENSION_DIR;
  if (!options.withoutExtension && !existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`The extension is not built at ${extensionDir}: run npm run build:sandbox first.`);
  }
  const profileDir = options.profileDir ?? (await mkdtemp(join(tmpdir(), 'ehr-launchpad-profile-')));
  const args = chromiumArgs(extensionDir);
  const handleSignals = options.handleSignals ?? true;
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath(),
    headless: options.headless ?? true,
    args: [...(options.withoutExtension ? args.filter((arg) => !arg.includes('extension')) : args), ...(options.extraArgs ?? [])],
    handleSIGINT: handleSignals,
    handleSIGTERM: handleSignals,
    handleSIGHUP: handleSignals,
    viewport: { width: 1280, height: 860 },
  });
  const getStarted = options.getStartedTab ?? (options.withoutExtension || options.profileDir ? 'none' : 'close');
  if (getStarted !== 'none') {
    const isGetStarted = (page: Page) => page.url() === GET_STARTED_URL;
    const tab = context.pages().find(isGetStarted) ?? (await context.waitForEvent('page', { predicate: isGetStarted, timeout: 15_000 }));
    // Closed only once drawn: an extension page closed while it loads can leave the next one the test opens blank.
    await tab.getByRole('heading', { level: 1 }).waitFor({ timeout: 15_000 }).catch(() => undefined);
    if (getStarted === 'close') await tab.close();
  }
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
