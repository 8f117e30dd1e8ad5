import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs, USAGE, type DetectOptions } from './detect/args';
import { openSession, type BrowserSession } from './detect/browser-session';
import { ConfigError, detectConfig } from './detect/config';
import { jsonLine, textLine, type PageResult } from './detect/format';
import { readPage } from './detect/read-page';
import { serveFolder, type StaticServer } from './detect/static-server';
import { classifyInput, servedUrl, type Build, type Target } from './detect/targets';
import { commandLifecycle } from './command-lifecycle';
import { commandMain, UsageError } from './command-main';

/**
 * `npm run detect -- [--config file.json] [--json] [--timeout ms] <url-or-html-file>...`: what the extension
 * reads on each page, for IT checking an EHR layout before rollout. The real built extension runs in headless
 * Chromium and its content script reads the page; the answer is what it reported to the background.
 */

const ROOT = resolve(import.meta.dirname, '..');
const BUILDS: Record<Build, { dir: string; script: string }> = {
  sandbox: { dir: join(ROOT, 'dist-sandbox'), script: 'build:sandbox' },
  production: { dir: join(ROOT, 'dist'), script: 'build:prod' },
};

/** Everything this run started is stopped on exit, on error and on Ctrl-C. */
const warn = (text: string) => console.error(text);
const { onCleanUp, cleanUp, run: runCommand } = commandLifecycle(warn);

async function buildIfMissing(build: Build): Promise<void> {
  const { dir, script } = BUILDS[build];
  if (existsSync(join(dir, 'manifest.json'))) return;
  console.error(`The ${build} build is missing (${dir}): running npm run ${script}.`);
  // Its output goes to stderr, so stdout stays one line per page.
  const code = await new Promise<number | null>((done, fail) => {
    const child = spawn('npm', ['run', script], { cwd: ROOT, stdio: ['ignore', process.stderr, process.stderr] });
    child.on('error', fail);
    child.on('exit', done);
  });
  if (code !== 0) throw new Error(`npm run ${script} failed (exit code ${code}).`);
}

async function readConfigFile(file: string | undefined): Promise<unknown> {
  if (!file) return undefined;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

interface Planned {
  target: Target;
  /** Where the page is opened, or why it cannot be. */
  url: string | null;
  failure?: string;
}

async function run(options: DetectOptions): Promise<number> {
  const classified = options.inputs.map((input) => classifyInput(input, process.cwd()));
  const bad = classified.filter((c) => c.kind === 'error');
  if (bad.length > 0) throw new UsageError(bad.map((c) => c.message).join('\n'));
  const targets = classified as Target[];
  const base = await readConfigFile(options.configFile);

  const workDir = await mkdtemp(join(tmpdir(), 'ehr-launchpad-detect-'));
  onCleanUp(() => rm(workDir, { recursive: true, force: true }));

  // One server per folder: each folder is one origin, so its pages' same-origin iframes stay same-origin.
  const servers = new Map<string, StaticServer | Error>();
  for (const target of targets) {
    if (target.kind !== 'file' || servers.has(target.folder)) continue;
    try {
      const server = await serveFolder(target.folder);
      onCleanUp(() => server.close());
      servers.set(target.folder, server);
    } catch (error) {
      servers.set(target.folder, error instanceof Error ? error : new Error(String(error)));
    }
  }
  const planned: Planned[] = targets.map((target) => {
    if (target.kind === 'url') return { target, url: target.url };
    const server = servers.get(target.folder)!;
    if (server instanceof Error) return { target, url: null, failure: `cannot serve ${target.folder}: ${(server as NodeJS.ErrnoException).code ?? server.message}` };
    return { target, url: servedUrl(server.origin, basename(target.path)) };
  });

  const sessions = new Map<Build, BrowserSession>();
  const noted = new Set<string>();
  for (const build of ['sandbox', 'production'] as const) {
    const origins = [...new Set(planned.filter((p) => p.url && p.target.build === build).map((p) => new URL(p.url!).origin))];
    if (origins.length === 0) continue;
    await buildIfMissing(build);
    const config = detectConfig(base, origins, build, options.profile);
    for (const note of config.notes.filter((n) => !noted.has(n))) {
      noted.add(note);
      console.error(`Note: ${note}`);
    }
    // Stopped even when Ctrl-C comes while it starts, and before the folder holding its profile is removed.
    const opening = openSession(build, BUILDS[build].dir, workDir, config);
    onCleanUp(async () => (await opening).close());
    const session = await opening;
    await session.configure();
    sessions.set(build, session);
  }

  let failed = false;
  for (const plan of planned) {
    const { input } = plan.target;
    const result: PageResult = plan.url
      ? await readPage(sessions.get(plan.target.build)!.context, sessions.get(plan.target.build)!.messages, input, plan.url, options.timeoutMs)
      : { input, url: input, outcome: 'not-loaded', patient: null, reason: plan.failure ?? 'not loaded' };
    if (result.outcome === 'not-loaded' || result.outcome === 'not-read') failed = true;
    console.log(options.json ? jsonLine(result) : textLine(result));
  }
  return failed ? 1 : 0;
}

runCommand(() => commandMain({ parseArgs, usage: USAGE, run, usageErrors: [ConfigError], warn, cleanUp }, process.argv.slice(2)));
