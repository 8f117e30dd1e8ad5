import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, CDPSession, Page } from '@playwright/test';
import { launchWithExtension, type LaunchedBrowser } from '../tests/e2e/browser';
import { LaunchBar } from '../tests/e2e/pages/launch-bar';
import { setUpExtension } from '../tests/e2e/setup-extension';
import { sandboxExtensionConfig } from '../tests/sandbox/extension-config';
import { PATIENTS } from '../tests/sandbox/fixtures';
import { startSandbox } from '../tests/sandbox/server';
import { percentile, summaryLine } from './bench-stats';

/**
 * `npm run bench:detect`: the content script's cost to the EHR page and its speed.
 * - The busy demo page (over 10,000 elements, 50 DOM mutations a second outside the banner), with and without
 *   the extension, same run, same browser: once on the configured EHR origin (the content script runs) and once
 *   on a look-alike origin of the same server (it does not), each measured in front for 10 s, alternated: the
 *   page's main-thread script and task time (CDP Performance.getMetrics, thread ticks) with one patient on
 *   screen; then the extra script each patient switch costs (a switch every 500 ms).
 * - Banner change to launch bar updated: the page stamps the switch; an observer in the content script's own
 *   world (reaching the closed shadow root with chrome.dom) stamps the bar's redraw, on the same clock.
 * - The content script's size, gzipped.
 */

const WINDOW_MS = 10_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SWITCH_EVERY_MS = 500;
const MUTATIONS_PER_SECOND = 50;
const LATENCY_SWITCHES = Number(process.env.BENCH_SWITCHES ?? 40);

interface Metrics {
  ScriptDuration: number;
  TaskDuration: number;
}

async function metrics(cdp: CDPSession): Promise<Metrics> {
  const { metrics: list } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  const read = (name: string) => list.find((m) => m.name === name)?.value ?? 0;
  return { ScriptDuration: read('ScriptDuration'), TaskDuration: read('TaskDuration') };
}

async function openBusyPage(context: BrowserContext, ehr: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${ehr}/patients/${PATIENTS[0]!.nhsNumber}?layout=busy&mutationsPerSecond=${MUTATIONS_PER_SECOND}`);
  return page;
}

/** Script and task seconds the page's main thread spent during the window (switching its banner if asked). */
async function mainThreadCost(page: Page, switching: boolean): Promise<Metrics> {
  // Measured in front: a background tab's timers are throttled, so it would do less work.
  await page.bringToFront();
  await page.waitForTimeout(500);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  const before = await metrics(cdp);
  // The page switches its own banner (a timer in page script), so the measuring side adds no script time.
  if (switching) await page.evaluate((every) => {
    const order = (window as unknown as { __benchOrder: string[] }).__benchOrder;
    let i = 0;
    (window as unknown as { __benchTimer: number }).__benchTimer = window.setInterval(() => {
      (window as unknown as { __demoEhr: { switchTo(n: string): number } }).__demoEhr.switchTo(order[++i % order.length]!);
    }, every);
  }, SWITCH_EVERY_MS);
  await page.waitForTimeout(WINDOW_MS);
  const after = await metrics(cdp);
  if (switching) await page.evaluate(() => window.clearInterval((window as unknown as { __benchTimer: number }).__benchTimer));
  await cdp.detach();
  return { ScriptDuration: after.ScriptDuration - before.ScriptDuration, TaskDuration: after.TaskDuration - before.TaskDuration };
}

async function prepareOrder(page: Page): Promise<void> {
  await page.evaluate((order) => ((window as unknown as { __benchOrder: string[] }).__benchOrder = order), PATIENTS.map((p) => p.nhsNumber));
}

/** Banner change to bar redraw, per switch, in ms. */
async function barLatencies(page: Page): Promise<number[]> {
  const cdp = await page.context().newCDPSession(page);
  const contexts: { id: number; name: string; auxData?: { type?: string } }[] = [];
  cdp.on('Runtime.executionContextCreated', (event: { context: { id: number; name: string; auxData?: { type?: string } } }) => contexts.push(event.context));
  await cdp.send('Runtime.enable');
  const isolated = contexts.find((c) => c.auxData?.type === 'isolated' && c.name.startsWith('EHR Launchpad'));
  if (!isolated) throw new Error(`the content script's world was not found (${contexts.map((c) => c.name).join(', ')})`);
  const inContentWorld = async (expression: string) => {
    const result = (await cdp.send('Runtime.evaluate', { expression, contextId: isolated.id, returnByValue: true })) as { result: { value: unknown }; exceptionDetails?: unknown };
    if (result.exceptionDetails) throw new Error(`evaluation failed: ${JSON.stringify(result.exceptionDetails)}`);
    return result.result.value;
  };
  await inContentWorld(`(() => {
    const host = document.querySelector('ehr-launchpad-bar');
    const root = chrome.dom.openOrClosedShadowRoot(host);
    globalThis.__barTimes = [];
    new MutationObserver(() => globalThis.__barTimes.push(performance.now())).observe(root.querySelector('.patient'), { childList: true, subtree: true, characterData: true });
    return true;
  })()`);
  const latencies: number[] = [];
  for (let i = 1; i <= LATENCY_SWITCHES; i++) {
    // Always another patient than the one on screen, so every switch is a real change.
    const switchedAt = await page.evaluate((order) => {
      const ehr = (window as unknown as { __demoEhr: { current: string; switchTo(x: string): number } }).__demoEhr;
      return ehr.switchTo(order[(order.indexOf(ehr.current) + 1) % order.length]!);
    }, PATIENTS.map((p) => p.nhsNumber));
    await page.waitForTimeout(250);
    const times = (await inContentWorld('globalThis.__barTimes.splice(0)')) as number[];
    const redraw = times.find((t) => t >= switchedAt);
    if (redraw === undefined) throw new Error(`the bar did not redraw after switch ${i}`);
    latencies.push(redraw - switchedAt);
  }
  await cdp.detach();
  return latencies;
}

async function contentScriptGzipKb(): Promise<number> {
  const file = await readFile(resolve('dist-sandbox/src/content/content-script.js'));
  return gzipSync(file, { level: 9 }).length / 1024;
}

async function main(): Promise<void> {
  const sandbox = await startSandbox({ quiet: true });
  const browsers: LaunchedBrowser[] = [];
  try {
    const withExtension = await launchWithExtension({ headless: true });
    browsers.push(withExtension);
    // The generic profile: the busy page's record is not switched with its banner, so cross-checks do not apply.
    const config = sandboxExtensionConfig(sandbox.urls);
    await setUpExtension(withExtension.context, sandbox.urls, { config: { ...config, ehrSites: [{ origin: sandbox.urls.ehr, profile: process.env.BENCH_PROFILE ?? 'generic' }], profiles: [{ name: 'anchored', anchor: { selector: '#busy-banner', position: 'after' }, corner: 'bottom-right' }] } });
    const extPage = await openBusyPage(withExtension.context, sandbox.urls.ehr);
    await new LaunchBar(extPage).waitForButton('Open John Smith in Parchment');
    // The same server under another name is not a configured EHR origin: the extension does not run there.
    const plainPage = await openBusyPage(withExtension.context, sandbox.urls.ehr.replace('127.0.0.1', 'localhost'));
    if (await new LaunchBar(plainPage).snapshot()) throw new Error('the comparison page must not have the extension');
    const nodes = await plainPage.evaluate(() => document.getElementsByTagName('*').length);
    await Promise.all([prepareOrder(extPage), prepareOrder(plainPage)]);
    await plainPage.waitForTimeout(1_000);

    // The steady cost: the page's own 50 mutations a second, the same patient on screen. Alternated, twice each,
    // so drift on the machine affects both alike.
    const costs: { ext: Metrics[]; plain: Metrics[] } = { ext: [], plain: [] };
    for (let round = 0; round < ROUNDS; round++) {
      costs.plain.push(await mainThreadCost(plainPage, false));
      costs.ext.push(await mainThreadCost(extPage, false));
    }
    const sum = (list: Metrics[], key: keyof Metrics) => list.reduce((acc, m) => acc + m[key], 0);
    const scriptRatio = sum(costs.ext, 'ScriptDuration') / sum(costs.plain, 'ScriptDuration');
    const taskRatio = sum(costs.ext, 'TaskDuration') / sum(costs.plain, 'TaskDuration');
    // What each patient switch costs the page on top (detection, bar redraw, message to the background).
    const switchingPlain = await mainThreadCost(plainPage, true);
    const switchingExt = await mainThreadCost(extPage, true);
    const switches = WINDOW_MS / SWITCH_EVERY_MS;
    const perSwitchMs = ((switchingExt.ScriptDuration - switchingPlain.ScriptDuration) * 1000) / switches;

    await extPage.bringToFront();
    const latencies = await barLatencies(extPage);
    const p50 = percentile(latencies, 50);
    const p95 = percentile(latencies, 95);
    const gzKb = await contentScriptGzipKb();

    const ms = (seconds: number) => (seconds * 1000).toFixed(0);
    console.log(`\nDetection on the busy demo page: ${nodes} elements, ${MUTATIONS_PER_SECOND} mutations/s outside the banner, ${ROUNDS} x ${WINDOW_MS / 1000} s each, alternated, same patient on screen\n`);
    console.log('| measure | without extension | with extension | ratio | goal |');
    console.log('|---|---:|---:|---:|---|');
    console.log(`| main-thread script time (ms) | ${ms(sum(costs.plain, 'ScriptDuration'))} | ${ms(sum(costs.ext, 'ScriptDuration'))} | ${scriptRatio.toFixed(3)} | <= 1.02 |`);
    console.log(`| main-thread task time (ms) | ${ms(sum(costs.plain, 'TaskDuration'))} | ${ms(sum(costs.ext, 'TaskDuration'))} | ${taskRatio.toFixed(3)} | <= 1.02 |`);
    console.log(`\neach patient switch adds ${perSwitchMs.toFixed(2)} ms of script to the page (${switches} switches in ${WINDOW_MS / 1000} s, with vs without)`);
    console.log(`banner change to launch bar updated, ${latencies.length} switches: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (goal p95 <= 50 ms)`);
    console.log(`content script: ${gzKb.toFixed(1)} KB gzipped (goal <= 25 KB)`);
    const met = (ok: boolean) => (ok ? 'met' : 'missed');
    console.log(
      summaryLine('bench:detect', [
        `bar update p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (${met(p95 <= 50)})`,
        `script time ratio ${scriptRatio.toFixed(3)} (${met(scriptRatio <= 1.02)})`,
        `task time ratio ${taskRatio.toFixed(3)} (${met(taskRatio <= 1.02)})`,
        `${perSwitchMs.toFixed(2)} ms script per switch`,
        `content script ${gzKb.toFixed(1)} KB gz (${met(gzKb <= 25)})`,
        `${nodes} elements`,
      ]),
    );
  } finally {
    for (const browser of browsers) await browser.close().catch(() => undefined);
    await sandbox.close();
  }
}

await main();
