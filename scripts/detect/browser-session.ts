import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserContext } from '@playwright/test';
import { extensionWorker, launchWithExtension, type LaunchedBrowser } from '../../tests/e2e/browser';
import { OptionsPage } from '../../tests/e2e/pages/extension-pages';
import { ConfigError, withHostPermissions, type DetectConfig } from './config';
import type { Messages } from './format';
import type { Build } from './targets';

/**
 * One headless Chromium with a copy of one build of the extension, configured through its options page as an
 * administrator would. A headless browser cannot answer the host access prompt, so the copy's manifest grants
 * the configuration's hosts at install, the way the sandbox build grants http://127.0.0.1 to the e2e suite.
 */

export interface BrowserSession {
  build: Build;
  context: BrowserContext;
  /** The build's English messages, for problem codes without a reason in words. */
  messages: Messages;
  close(): Promise<void>;
}

/** Starts the browser; `configure` then imports the configuration. Apart so the caller can stop it from the start. */
export async function openSession(build: Build, buildDir: string, workDir: string, detect: DetectConfig): Promise<BrowserSession & { configure(): Promise<void> }> {
  const extensionDir = join(workDir, `extension-${build}`);
  await cp(buildDir, extensionDir, { recursive: true });
  const manifestFile = join(extensionDir, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Record<string, unknown>;
  await writeFile(manifestFile, JSON.stringify(withHostPermissions(manifest, detect.hostPatterns), null, 2));
  const messages = JSON.parse(await readFile(join(extensionDir, '_locales/en/messages.json'), 'utf8')) as Messages;
  const browser: LaunchedBrowser = await launchWithExtension({ extensionDir, profileDir: join(workDir, `profile-${build}`), handleSignals: false, headless: true });
  const context = browser.context;
  return {
    build,
    context,
    messages,
    close: () => context.close().catch(() => undefined),
    configure: () => importConfig(context, detect),
  };
}

async function importConfig(context: BrowserContext, detect: DetectConfig): Promise<void> {
  const worker = await extensionWorker(context);
  const admin = await OptionsPage.open(context);
  const imported = await admin.importConfig(detect.config);
  await admin.page.close();
  if (!imported.startsWith('Configuration imported') || /not granted/.test(imported)) throw new ConfigError(`the extension refused the configuration:\n${imported}`);
  // The background registers the content script when the configuration changes: wait until it covers every site.
  const wanted = detect.config.ehrSites.map((site) => `${new URL(site.origin).origin}/*`);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const matches = await worker.evaluate(async () => (await chrome.scripting.getRegisteredContentScripts()).flatMap((script) => script.matches ?? []));
    if (wanted.every((pattern) => matches.includes(pattern))) return;
    if (Date.now() > deadline) throw new Error(`the content script was not registered for ${wanted.filter((p) => !matches.includes(p)).join(', ')}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}
