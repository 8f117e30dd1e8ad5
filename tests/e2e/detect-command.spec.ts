import { mkdir, writeFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { NpmCommand } from './commands';

/**
 * `npm run detect` as IT runs it: a child process that loads the built extension in headless Chromium, serves
 * a folder of HTML files on 127.0.0.1 and prints what the content script read on each. The reader itself is
 * still changing, so the iframe page and the exact reasons are checked for shape only.
 */

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

let command: NpmCommand;
const page = (name: string) => command.file(name);
const detect = (args: string[], options?: { interruptAfterMs?: number }) => command.run(args, options);

test.beforeAll(async () => {
  command = await NpmCommand.create('detect', 'detect-command-pages-');
  await mkdir(page('frames'));
  for (const [name, html] of Object.entries(PAGES)) await writeFile(page(name), html);
});

test.afterAll(async () => {
  await command.remove();
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
  expect(await command.leftBehind()).toEqual([]);
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
  expect(await command.leftBehind()).toEqual([]);
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
  expect(await command.leftBehind()).toEqual([]);
  expect(command.processesLeft()).toEqual([]);
});
