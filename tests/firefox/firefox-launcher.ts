import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../sandbox/free-port';
import { FIREFOX_EXTENSION_ORIGIN, FIREFOX_EXTENSION_UUID, GECKO_ID } from '../sandbox/redirect-uris';
import { BidiClient, type BrowsingContextInfo } from './bidi-client';

/**
 * The add-on id and the moz-extension UUID are fixed (the UUID through the profile's prefs), so extension page
 * addresses are known before the add-on is installed, and the sandbox's providers know the extension's origin.
 */
export const extensionUrl = (path: string) => `${FIREFOX_EXTENSION_ORIGIN}/${path}`;
/** The tab a fresh, unconfigured install opens. */
export const GET_STARTED_URL = extensionUrl('src/options/index.html#get-started');

/** The sandbox variant of the Firefox build (FIREFOX_EXTENSION_DIR to try another copy). */
export const FIREFOX_EXTENSION_DIR = resolve(import.meta.dirname, '../..', process.env.FIREFOX_EXTENSION_DIR ?? 'dist-firefox-sandbox');

export function firefoxPath(): string {
  const wanted = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
  if (!existsSync(wanted)) throw new Error(`No Firefox at ${wanted}: install Debian's firefox-esr (apt-get install firefox-esr) or set FIREFOX_PATH.`);
  return wanted;
}

/**
 * The profile's prefs: the fixed extension UUID, the background's console on stdout, and nothing that reaches
 * out to the network or interrupts a run (first-run pages, telemetry, updates, safe browsing, remote settings).
 * Firefox's remote agent sets more of the same itself (remote.prefs.recommended).
 */
function userPrefs(extra: Record<string, string | number | boolean>): Record<string, string | number | boolean> {
  return {
    'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_EXTENSION_UUID }),
    'devtools.console.stdout.chrome': true,
    // The options page asks for host access in the import's click (permissions.request); Firefox answers with a
    // doorhanger a headless browser never shows. This pref grants such requests as the administrator's Allow would.
    'extensions.webextOptionalPermissionPrompts': false,
    'browser.shell.checkDefaultBrowser': false,
    'browser.startup.page': 0,
    'browser.startup.homepage': 'about:blank',
    'browser.startup.homepage_override.mstone': 'ignore',
    'startup.homepage_welcome_url': '',
    'startup.homepage_welcome_url.additional': '',
    'browser.aboutwelcome.enabled': false,
    'browser.newtabpage.enabled': false,
    'browser.newtab.preload': false,
    'browser.tabs.warnOnClose': false,
    'browser.sessionstore.resume_from_crash': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'datareporting.healthreport.uploadEnabled': false,
    'toolkit.telemetry.enabled': false,
    'toolkit.telemetry.unified': false,
    'toolkit.telemetry.server': '',
    'app.normandy.enabled': false,
    'messaging-system.rsexperimentloader.enabled': false,
    'app.shield.optoutstudies.enabled': false,
    'app.update.disabledForTesting': true,
    'app.update.auto': false,
    'extensions.update.enabled': false,
    'extensions.getAddons.cache.enabled': false,
    'extensions.blocklist.enabled': false,
    'extensions.htmlaboutaddons.recommendations.enabled': false,
    'browser.discovery.enabled': false,
    'browser.safebrowsing.malware.enabled': false,
    'browser.safebrowsing.phishing.enabled': false,
    'browser.safebrowsing.downloads.enabled': false,
    'browser.safebrowsing.blockedURIs.enabled': false,
    'services.settings.server': 'data:,#remote-settings-off',
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    'media.gmp-manager.updateEnabled': false,
    'browser.search.update': false,
    'browser.region.network.url': '',
    'geo.provider.network.url': '',
    ...extra,
  };
}

export interface FirefoxOptions {
  /** The unpacked build to install (default: dist-firefox-sandbox/); null installs nothing. */
  extensionDir?: string | null;
  /** More prefs for user.js (they win over the defaults above). */
  prefs?: Record<string, string | number | boolean>;
  /**
   * A fresh install with no configuration opens the options page's "Get started" tab. `close` (the default)
   * waits for it to draw and closes it, so no test meets a tab it did not open; `keep` leaves it; `none`
   * expects none (policy configures the browser).
   */
  getStartedTab?: 'close' | 'keep' | 'none';
  /** False opens a window on the display (`npm start -- --browser firefox` with a display); default headless. */
  headless?: boolean;
  /** More environment variables for Firefox (tests/firefox/policies.ts needs one to read its own policies.json). */
  env?: Record<string, string>;
}

export interface Firefox {
  client: BidiClient;
  /** The add-on id webExtension.install answered (the gecko id). */
  extensionId: string | null;
  /** Every browsing context open now, top-level ones first with their frames as children. */
  tabs(): Promise<BrowsingContextInfo[]>;
  /** Resolves when Firefox exits (the person closed its window). */
  closed(): Promise<void>;
  /** What Firefox wrote to stdout and stderr (the background's console with devtools.console.stdout.chrome). */
  output(): string;
  close(): Promise<void>;
}

/** Starts headless Firefox ESR on a fresh profile with the remote agent, and installs the build by path. */
export async function launchFirefox(options: FirefoxOptions = {}): Promise<Firefox> {
  const extensionDir = options.extensionDir === undefined ? FIREFOX_EXTENSION_DIR : options.extensionDir;
  if (extensionDir !== null && !existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`The Firefox build is not at ${extensionDir}: run npm run build:firefox-sandbox first.`);
  }
  const profileDir = await mkdtemp(join(tmpdir(), 'ehr-launchpad-firefox-'));
  const prefs = Object.entries(userPrefs(options.prefs ?? {})).map(([name, value]) => `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});`);
  await writeFile(join(profileDir, 'user.js'), `${prefs.join('\n')}\n`);

  const port = await freePort();
  const child = spawn(
    firefoxPath(),
    [...(options.headless === false ? [] : ['--headless']), '--no-remote', '--profile', profileDir, `--remote-debugging-port=${port}`, '--remote-allow-system-access', 'about:blank'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1', MOZ_HEADLESS_WIDTH: '1280', MOZ_HEADLESS_HEIGHT: '860', ...options.env } },
  );
  let output = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  // A test process that ends without closing Firefox (a killed worker, an interrupted run) still stops it.
  const onExit = () => {
    child.kill('SIGKILL');
    rmSync(profileDir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  const cleanUp = async () => {
    process.removeListener('exit', onExit);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    await rm(profileDir, { recursive: true, force: true });
  };

  let client: BidiClient;
  try {
    const url = await listening(child, port, (text) => (output += text));
    client = await BidiClient.connect(url);
  } catch (error) {
    await cleanUp();
    throw new Error(`Firefox did not start: ${(error as Error).message}\n${output.slice(-4000)}`);
  }
  await client.send('session.subscribe', { events: ['browsingContext.contextCreated', 'browsingContext.contextDestroyed', 'browsingContext.load'] });

  const tabs = async () => (await client.send('browsingContext.getTree', {})).contexts;
  const firefox: Firefox = {
    client,
    extensionId: null,
    tabs,
    output: () => output,
    closed: () => exited,
    async close() {
      // A polite close first (the profile is thrown away either way), then a kill if it does not go.
      await Promise.race([client.send('browser.close', {}).catch(() => undefined), new Promise((r) => setTimeout(r, 5000))]);
      client.close();
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      await cleanUp();
    },
  };
  try {
    if (extensionDir !== null) {
      firefox.extensionId = (await client.send('webExtension.install', { extensionData: { type: 'path', path: extensionDir } })).extension;
      await handleGetStarted(firefox, options.getStartedTab ?? 'close');
    }
  } catch (error) {
    await firefox.close();
    throw error;
  }
  return firefox;
}

/** Resolves with the BiDi address once Firefox says its remote agent is listening. */
function listening(child: ChildProcess, port: number, record: (text: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the remote agent did not start within 30 s')), 30_000);
    const read = (chunk: Buffer) => {
      const text = chunk.toString();
      record(text);
      if (text.includes(`WebDriver BiDi listening on ws://127.0.0.1:${port}`)) {
        clearTimeout(timer);
        resolve(`ws://127.0.0.1:${port}/session`);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Firefox exited with code ${code}`));
    });
  });
}

/** Waits for the Get started tab (it is opened on install) and, once drawn, closes it or leaves it. */
async function handleGetStarted(firefox: Firefox, mode: 'close' | 'keep' | 'none'): Promise<void> {
  if (mode === 'none') return;
  const deadline = Date.now() + 15_000;
  let tab: BrowsingContextInfo | undefined;
  while (!tab && Date.now() < deadline) {
    tab = (await firefox.tabs()).find((t) => t.url === GET_STARTED_URL);
    if (!tab) await new Promise((r) => setTimeout(r, 100));
  }
  if (!tab) throw new Error('The Get started tab a fresh install opens did not appear within 15 s');
  // Closed only once drawn: an extension page closed while it loads can leave the next one blank.
  await waitForExpression(firefox, tab.context, `document.querySelector('h1') !== null`, 15_000).catch(() => undefined);
  if (mode === 'close') await firefox.client.send('browsingContext.close', { context: tab.context });
}

async function waitForExpression(firefox: Firefox, context: string, expression: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await firefox.client.send('script.evaluate', { expression, target: { context }, awaitPromise: false }).catch(() => null);
    if (answer?.type === 'success' && answer.result.value === true) return;
    if (Date.now() > deadline) throw new Error(`${expression} was not true within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
