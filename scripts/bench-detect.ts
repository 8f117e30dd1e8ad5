import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, CDPSession, Page } from '@playwright/test';
import { launchWithExtension, type LaunchedBrowser } from '../tests/e2e/browser';
import { LaunchBar } from '../tests/e2e/pages/launch-bar';
import { setUpExtension } from '../tests/e2e/setup-extension';
import { sandboxExtensionConfig } from '../tests/sandbox/extension-config';
import { PATIENTS } from '../tests/sandbox/fixtures';
import { startSandbox } from '../tests/sandbox/server';
import { pairedRatios, percentile, summaryLine } from './bench-stats';
import { CORPUS_DIR, corpusLine, runCorpus } from './corpus-run';
import { serveFolder, type StaticServer } from './detect/static-server';

/**
 * `npm run bench:detect`: the content script's cost to the EHR page and its speed.
 * - The busy demo page (over 10,000 elements, 50 DOM mutations a second outside the banner), with and without
 *   the extension, same run, same browser: once on the configured EHR origin (the content script runs) and once
 *   on two look-alike host names of the same server (it does not), each page in a renderer process of its own
 *   (the metrics are the renderer main thread's), each measured in front for 10 s after a garbage collection,
 *   in rounds whose order rotates: the page's main-thread script and task time (CDP Performance.getMetrics,
 *   thread ticks) with one patient on screen, with the extension against the mean of the two without, as the
 *   median of the rounds and its range; the two pages without it against each other give the noise floor;
 *   then the extra script each patient switch costs.
 * - Banner change to launch bar updated: the page stamps the switch; an observer in the content script's own
 *   world (reaching the closed shadow root with chrome.dom) stamps the bar's redraw, on the same clock.
 * - The content script's size, gzipped.
 */

const WINDOW_MS = 10_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const SWITCH_EVERY_MS = 500;
const MUTATIONS_PER_SECOND = 50;
const LATENCY_SWITCHES = Number(process.env.BENCH_SWITCHES ?? 40);
/** Resolved to 127.0.0.1 by the browser only (host resolver rule): a third site beside 127.0.0.1 and localhost. */
const CONTROL_HOST = 'control.bench.test';

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
  // Each window starts from a clean heap: a collection left over from before would land on one side only.
  await cdp.send('HeapProfiler.collectGarbage');
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
  let corpus: StaticServer | undefined;
  try {
    // The control page gets a host name of its own, so it runs in a renderer process of its own: the metrics are
    // the renderer's main thread's, and two pages sharing one would each be charged the other's work.
    const withExtension = await launchWithExtension({ headless: true, extraArgs: [`--host-resolver-rules=MAP ${CONTROL_HOST} 127.0.0.1`] });
    browsers.push(withExtension);
    // The generic profile, as a trust starts with; the detection corpus is served as a second EHR site.
    const config = sandboxExtensionConfig(sandbox.urls);
    corpus = await serveFolder(join(CORPUS_DIR, 'pages'));
    await setUpExtension(withExtension.context, sandbox.urls, { config: { ...config, ehrSites: [{ origin: sandbox.urls.ehr, profile: process.env.BENCH_PROFILE ?? 'generic' }, { origin: corpus.origin, profile: 'generic' }], profiles: [{ name: 'anchored', anchor: { selector: '#busy-banner', position: 'after' }, corner: 'bottom-right' }] } });
    const extPage = await openBusyPage(withExtension.context, sandbox.urls.ehr);
    await new LaunchBar(extPage).waitForButton('Open John Smith in Parchment');
    // The same server under another name is not a configured EHR origin: the extension does not run there.
    const plainPage = await openBusyPage(withExtension.context, sandbox.urls.ehr.replace('127.0.0.1', 'localhost'));
    if (await new LaunchBar(plainPage).snapshot()) throw new Error('the comparison page must not have the extension');
    // A control: a second page without the extension, measured the same way, shows the measurement's own spread.
    const controlPage = await openBusyPage(withExtension.context, sandbox.urls.ehr.replace('127.0.0.1', CONTROL_HOST));
    if (await new LaunchBar(controlPage).snapshot()) throw new Error('the control page must not have the extension');
    const nodes = await plainPage.evaluate(() => document.getElementsByTagName('*').length);
    await Promise.all([prepareOrder(extPage), prepareOrder(plainPage)]);
    await plainPage.waitForTimeout(1_000);

    // The steady cost: the page's own 50 mutations a second, the same patient on screen. In back-to-back pairs
    // whose order alternates, so drift on the machine affects both sides alike.
    const costs: { ext: Metrics[]; plain: Metrics[]; control: Metrics[] } = { ext: [], plain: [], control: [] };
    const sides = [
      { page: plainPage, into: costs.plain },
      { page: extPage, into: costs.ext },
      { page: controlPage, into: costs.control },
    ];
    for (let round = 0; round < ROUNDS; round++) {
      // Each side goes first, second and third in turn.
      for (let i = 0; i < sides.length; i++) {
        const side = sides[(round + i) % sides.length]!;
        side.into.push(await mainThreadCost(side.page, false));
      }
    }
    const sum = (list: Metrics[], key: keyof Metrics) => list.reduce((acc, m) => acc + m[key], 0);
    // With the extension against the mean of the two pages without it, round by round; and, as the noise floor,
    // one page without it against the other.
    const withoutMean = (key: keyof Metrics, i: number) => (costs.plain[i]![key] + costs.control[i]![key]) / 2;
    const paired = (key: keyof Metrics) => pairedRatios(costs.ext.map((m, i) => ({ with: m[key], without: withoutMean(key, i) })));
    const controlPaired = (key: keyof Metrics) => pairedRatios(costs.control.map((m, i) => ({ with: m[key], without: costs.plain[i]![key] })));
    const script = paired('ScriptDuration');
    const task = paired('TaskDuration');
    const controlScript = controlPaired('ScriptDuration');
    const controlTask = controlPaired('TaskDuration');
    const scriptRatio = script.median;
    const taskRatio = task.median;
    const range = (r: { min: number; max: number }) => `${r.min.toFixed(3)}-${r.max.toFixed(3)}`;
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
    const corpusScore = await runCorpus(withExtension.context, corpus.origin);
    for (const row of corpusScore.rows.filter((r) => r.verdict !== 'right')) console.log(`corpus miss: ${row.file}: ${row.verdict} (${row.detail})`);

    const ms = (seconds: number) => (seconds * 1000).toFixed(0);
    console.log(`\nDetection on the busy demo page: ${nodes} elements, ${MUTATIONS_PER_SECOND} mutations/s outside the banner, ${ROUNDS} rounds of three ${WINDOW_MS / 1000} s windows (with the extension, and two pages without it, each in its own renderer), order rotating, same patient on screen\n`);
    const both = (key: keyof Metrics) => ms((sum(costs.plain, key) + sum(costs.control, key)) / 2);
    console.log('| measure | without extension (total, mean of 2 pages) | with extension (total) | ratio, median of rounds | range | goal |');
    console.log('|---|---:|---:|---:|---:|---|');
    console.log(`| main-thread script time (ms) | ${both('ScriptDuration')} | ${ms(sum(costs.ext, 'ScriptDuration'))} | ${scriptRatio.toFixed(3)} | ${range(script)} | <= 1.02 |`);
    console.log(`| main-thread task time (ms) | ${both('TaskDuration')} | ${ms(sum(costs.ext, 'TaskDuration'))} | ${taskRatio.toFixed(3)} | ${range(task)} | <= 1.02 |`);
    console.log(`| noise floor, script: one page without it against the other | ${ms(sum(costs.plain, 'ScriptDuration'))} | ${ms(sum(costs.control, 'ScriptDuration'))} | ${controlScript.median.toFixed(3)} | ${range(controlScript)} | |`);
    console.log(`| noise floor, task: one page without it against the other | ${ms(sum(costs.plain, 'TaskDuration'))} | ${ms(sum(costs.control, 'TaskDuration'))} | ${controlTask.median.toFixed(3)} | ${range(controlTask)} | |`);
    console.log(`\neach patient switch adds ${perSwitchMs.toFixed(2)} ms of script to the page (${switches} switches in ${WINDOW_MS / 1000} s, with vs without)`);
    console.log(`banner change to launch bar updated, ${latencies.length} switches: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (goal p95 <= 50 ms)`);
    console.log(`content script: ${gzKb.toFixed(1)} KB gzipped (goal <= 25 KB)`);
    console.log(corpusLine(corpusScore));
    const met = (ok: boolean) => (ok ? 'met' : 'missed');
    console.log(
      summaryLine('bench:detect', [
        `bar update p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (${met(p95 <= 50)})`,
        `script time ratio ${scriptRatio.toFixed(3)} median of ${ROUNDS} rounds, ${range(script)} (${met(scriptRatio <= 1.02)})`,
        `task time ratio ${taskRatio.toFixed(3)} median of ${ROUNDS} rounds, ${range(task)} (${met(taskRatio <= 1.02)})`,
        `noise floor (without/without) ${controlTask.median.toFixed(3)} task, ${controlScript.median.toFixed(3)} script`,
        `${perSwitchMs.toFixed(2)} ms script per switch`,
        `content script ${gzKb.toFixed(1)} KB gz (${met(gzKb <= 25)})`,
        `${nodes} elements`,
        `corpus ${corpusScore.positivesRight}/${corpusScore.positives} patient pages, ${corpusScore.negativesRight}/${corpusScore.negatives} no-patient pages, ${corpusScore.wrongPatients} wrong`,
      ]),
    );
  } finally {
    for (const browser of browsers) await browser.close().catch(() => undefined);
    await corpus?.close();
    await sandbox.close();
  }
}

await main();
