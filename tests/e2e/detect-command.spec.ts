import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';

/**
 * `npm run detect` as IT runs it: a child process that loads the built extension in headless Chromium, serves
 * a folder of HTML files on 127.0.0.1 and prints what the content script read on each. The reader itself is
 * still changing, so the iframe page and the exact reasons are checked for shape only.
 */

const ROOT = resolve(import.meta.dirname, '../..');

const PAGES: Record<string, string> = {
  'banner.html': `<!doctype html><html lang="en-GB"><head><title>Patient record</title></head><body>
    <nav><a href="#">Worklist</a> <a href="#">Results</a></nav>
    <div class="patient-banner" role="banner">
      <span>Name</span> <span>SMITH, John</span>
      <span>DOB</span> <span>12-Mar-1985</span>
      <span>NHS No</span> <span>943 476 5919</span>
    </div>
    <main><h1>Clinical notes</h1><p>Seen in clinic, bloods requested (order 4827361092).</p></main>
  </body></html>`,
  'two-patients.html': `<!doctype html><html lang="en-GB"><head><title>Two patients</title></head><body>
    <div class="patient-banner"><span>Name</span> <span>SMITH, John</span> <span>DOB</span> <span>12-Mar-1985</span> <span>NHS No</span> <span>943 476 5919</span></div>
    <div class="patient-banner"><span>Name</span> <span>OKAFOR, Adaeze</span> <span>DOB</span> <span>04-Jul-1961</span> <span>NHS No</span> <span>943 159 0832</span></div>
  </body></html>`,
  'late.html': `<!doctype html><html lang="en-GB"><head><title>Loading</title></head><body><p>Loading…</p><script>
    setTimeout(() => document.body.insertAdjacentHTML('beforeend', '<div class="patient-banner"><span>Name</span> <span>SMITH, John</span> <span>DOB</span> <span>12-Mar-1985</span> <span>NHS No</span> <span>943 476 5919</span></div>'), 1000);
  </script></body></html>`,
  'framed.html': `<!doctype html><html lang="en-GB"><head><title>Portal</title></head><body>
    <h1>Patient portal</h1><iframe id="banner-frame" src="frames/banner-frame.html" title="Patient banner"></iframe>
  </body></html>`,
  'frames/banner-frame.html': `<!doctype html><html lang="en-GB"><body>
    <div class="patient-banner"><span>Name</span> <span>SMITH, John</span> <span>DOB</span> <span>12-Mar-1985</span> <span>NHS No</span> <span>943 476 5919</span></div>
  </body></html>`,
};

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

let folder: string;
/** The command's own temporary folder (TMPDIR): empty again once it has exited. */
let scratch: string;

function detect(args: string[], options: { interruptAfterMs?: number } = {}): Promise<Run> {
  return new Promise((done, fail) => {
    // As IT runs it, in a process group of its own, so an interrupt reaches npm and the command the way Ctrl-C in
    // a terminal does.
    const child = spawn('npm', ['run', '--silent', 'detect', '--', ...args], { cwd: ROOT, env: { ...process.env, TMPDIR: scratch }, detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = options.interruptAfterMs === undefined ? undefined : setTimeout(() => process.kill(-child.pid!, 'SIGINT'), options.interruptAfterMs);
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr });
    });
  });
}

const page = (name: string) => join(folder, name);
/** What the command left in its temporary folder (tsx keeps its compile cache there). */
const leftBehind = async () => (await readdir(scratch)).filter((name) => !name.startsWith('tsx-'));

test.beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'detect-command-pages-'));
  scratch = join(folder, 'tmp');
  await mkdir(join(folder, 'frames'));
  await mkdir(scratch);
  for (const [name, html] of Object.entries(PAGES)) await writeFile(join(folder, name), html);
});

test.afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

test('prints one line per page: the patient, no patient with a reason, a missing file as not loaded, a late banner', async () => {
  const run = await detect(['--timeout', '2500', page('banner.html'), page('two-patients.html'), page('framed.html'), page('missing.html'), page('late.html')]);
  const lines = run.stdout.trim().split('\n');
  expect(lines, run.stderr).toHaveLength(5);
  expect(lines[0]).toMatch(/banner\.html: patient: NHS number 943 476 5919, DOB 1985-03-12, family \S.*, given \S/);
  expect(lines[1]).toMatch(/two-patients\.html: no patient: \S/);
  expect(lines[2]).toMatch(/framed\.html: (patient: NHS number 943 476 5919|no patient: \S)/);
  expect(lines[3]).toMatch(/missing\.html: not loaded: HTTP 404/);
  // The banner appears a second after load: within the timeout, so it is read.
  expect(lines[4]).toMatch(/late\.html: patient: NHS number 943 476 5919/);
  // A page failed to load: the run went on, and says so in its exit code.
  expect(run.code).toBe(1);
  expect(await leftBehind()).toEqual([]);
});

test('--json prints one JSON object per page and exits 0 when every page was read', async () => {
  const run = await detect(['--json', '--timeout=1500', page('banner.html'), page('two-patients.html'), page('framed.html')]);
  expect(run.code, run.stderr).toBe(0);
  const results = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(results).toHaveLength(3);
  const [banner, two, framed] = results;
  expect(banner).toMatchObject({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/banner\.html$/), patient: { nhsNumber: '9434765919', birthDate: '1985-03-12' }, reason: null });
  expect(Object.keys((banner!.patient as object) ?? {}).sort()).toEqual(['birthDate', 'family', 'given', 'nhsNumber']);
  expect(two).toMatchObject({ patient: null, reason: expect.any(String) });
  expect(String(two!.reason)).not.toBe('');
  // Both pages of the folder were served from one origin, so the frame is a same-origin frame.
  expect(new URL(String(framed!.url)).origin).toBe(new URL(String(banner!.url)).origin);
  expect(framed!.patient === null ? typeof framed!.reason : (framed!.patient as { nhsNumber: string }).nhsNumber).toMatch(/^(string|9434765919)$/);
  expect(await leftBehind()).toEqual([]);
});

test('bad arguments exit 2 with the usage, before starting anything', async () => {
  for (const args of [[], ['--timeout', 'soon', page('banner.html')], ['http://ehr.example.org/'], ['--config', page('no-such-config.json'), page('banner.html')]]) {
    const run = await detect(args);
    expect(run.code, args.join(' ')).toBe(2);
    expect(run.stderr).toContain('Usage: npm run detect');
    expect(run.stdout).toBe('');
  }
});

test('Ctrl-C stops the browser and the servers and removes the temporary profile', async () => {
  // A page with no patient keeps the command waiting for a late banner until its timeout.
  const run = await detect(['--timeout', '60000', page('two-patients.html')], { interruptAfterMs: 6_000 });
  // npm may die of the signal itself; the command below it reports and cleans up before exiting 130.
  expect(run.code === 130 || run.signal === 'SIGINT', `${run.code} ${run.signal}`).toBe(true);
  expect(run.stderr).toContain('Stopped (SIGINT)');
  expect(run.stdout).toBe('');
  expect(await leftBehind()).toEqual([]);
  const browsers = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes(scratch));
  expect(browsers).toEqual([]);
});
