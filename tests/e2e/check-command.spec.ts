import { writeFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { NpmCommand, type CommandRun } from './commands';
import { SANDBOX_CLINICIAN, SANDBOX_SECRETS, sandboxExtensionConfig, type SandboxUrls } from '../sandbox/extension-config';
import { PATIENTS } from '../sandbox/fixtures';

/**
 * `npm run check` as trust IT runs it: a child process that loads the built extension headless with a
 * configuration, a test clinician and a secrets file, opens an EHR page and launches each partner. Here against
 * the partner sandbox and demo EHR that global setup started, so with --sandbox-build. Parchment and the
 * knowledge base launch with no step by the clinician; the others need a sign-in, a pairing or an enrolled
 * installation key, which a throwaway profile cannot have.
 */

const CHECKED = ['parchment', 'knowledge-base'];
const WRONG_SECRET = 'not-the-partner-secret-5521';

let command: NpmCommand;
let page: string;
const file = (name: string) => command.file(name);
const check = (args: string[], options?: { interruptAfterMs?: number }) => command.run(args, options);

const secretsFile = (secrets: { partnerId: string; name: string; value: string }[]) => {
  const document: Record<string, Record<string, string>> = {};
  for (const s of secrets) (document[s.partnerId] ??= {})[s.name] = s.value;
  return JSON.stringify(document, null, 2);
};

/** The table's row for a partner: its label, then its outcome. */
const row = (stdout: string, label: string) => stdout.split('\n').find((line) => line.startsWith(`${label}  `)) ?? '';

test.beforeAll(async () => {
  const raw = process.env.SANDBOX_URLS;
  if (!raw) throw new Error('SANDBOX_URLS is not set: the global setup starts the sandbox.');
  const urls = JSON.parse(raw) as SandboxUrls;
  command = await NpmCommand.create('check', 'check-command-');
  // The sandbox configuration without the organisation's sign-in (a clinician's step), with the partners checked.
  const { identity: _signIn, ...base } = sandboxExtensionConfig(urls);
  await writeFile(file('trust.json'), JSON.stringify({ ...base, partners: base.partners.filter((p) => CHECKED.includes(p.id)) }, null, 2));
  await writeFile(file('with-pkb.json'), JSON.stringify({ ...base, partners: base.partners.filter((p) => [...CHECKED, 'pkb'].includes(p.id)) }, null, 2));
  await writeFile(file('clinician.json'), JSON.stringify(SANDBOX_CLINICIAN, null, 2));
  await writeFile(file('secrets.json'), secretsFile(SANDBOX_SECRETS));
  await writeFile(file('bad-secrets.json'), secretsFile(SANDBOX_SECRETS.map((s) => (s.name === 'partnerSecret' ? { ...s, value: WRONG_SECRET } : s))));
  page = `${urls.ehr}/patients/${PATIENTS[0]!.nhsNumber}`;
});

test.afterAll(async () => {
  await command.remove();
});

const expectNoSecret = (run: CommandRun) => {
  for (const value of [...SANDBOX_SECRETS.map((s) => s.value), WRONG_SECRET]) {
    expect(run.stdout).not.toContain(value);
    expect(run.stderr).not.toContain(value);
  }
};

test('every partner launches: a table of partner, outcome and milliseconds, exit 0, no secret printed', async () => {
  test.setTimeout(120_000);
  const run = await check(['--config', file('with-pkb.json'), '--clinician', file('clinician.json'), '--secrets', file('secrets.json'), '--page', page, '--sandbox-build']);
  expect(run.code, run.stdout + run.stderr).toBe(0);
  expect(run.stdout).toContain('Patient on the page: John Smith, NHS number 999 000 0018');
  expect(run.stdout).toMatch(/^partner\s+outcome\s+ms\s*$/m);
  expect(row(run.stdout, 'Parchment')).toMatch(/^Parchment\s+ok \(http:\/\/127\.0\.0\.1:\d+\)\s+\d+\s*$/);
  expect(row(run.stdout, 'Knowledge base')).toMatch(/^Knowledge base\s+ok \(http:\/\/127\.0\.0\.1:\d+\)\s+\d+\s*$/);
  // Pairing is the clinician's own step: reported, not counted as a failure.
  expect(row(run.stdout, 'Patients Know Best')).toMatch(/skipped: .*Pair/);
  expect(run.stdout).toContain('All 2 launch(es) ok; 1 skipped');
  // Only origins: a launch address can carry a one-time credential.
  expect(run.stdout).not.toMatch(/sso\.php|redirect|token=/i);
  expectNoSecret(run);
  expect(await command.leftBehind()).toEqual([]);
});

test('a wrong secret fails that partner with the reason in words, and the run exits non-zero', async () => {
  test.setTimeout(120_000);
  const run = await check(['--config', file('trust.json'), '--clinician', file('clinician.json'), '--secrets', file('bad-secrets.json'), '--page', page, '--sandbox-build']);
  expect(run.code, run.stdout + run.stderr).toBe(1);
  expect(row(run.stdout, 'Parchment')).toMatch(/^Parchment\s+failed: Parchment did not accept this organisation's credentials/);
  expect(row(run.stdout, 'Knowledge base')).toMatch(/^Knowledge base\s+ok /);
  expect(run.stdout).toContain('1 of 2 partner(s) failed.');
  expectNoSecret(run);
});

test('without --sandbox-build, http://127.0.0.1 pages and partners are refused with what to do, before anything starts', async () => {
  const local = await check(['--config', file('trust.json'), '--clinician', file('clinician.json'), '--secrets', file('secrets.json'), '--page', page]);
  expect(local.code).toBe(2);
  expect(local.stderr).toMatch(/--page: http:\/\/127\.0\.0\.1:\d+ is on http:\/\/127\.0\.0\.1, which only the sandbox build runs on: add --sandbox-build/);
  expect(local.stdout).toBe('');
  // An https page, but the configuration's partners are on the local sandbox: each is named.
  const partners = await check(['--config', file('trust.json'), '--clinician', file('clinician.json'), '--page', 'https://ehr.example.org/patients/1']);
  expect(partners.code).toBe(2);
  expect(partners.stderr).toContain('the configuration names http://127.0.0.1, which only the sandbox build runs on (add --sandbox-build');
  expect(partners.stderr).toMatch(/partners\[0\]\.apiBaseUrl: http:\/\/127\.0\.0\.1:\d+\/external/);
  expect(partners.stdout).toBe('');
  expect(await command.leftBehind()).toEqual([]);
});

test('missing or bad arguments exit 2 with the usage', async () => {
  for (const args of [[], ['--config', file('trust.json'), '--page', page, '--sandbox-build'], ['--config', file('no-such.json'), '--clinician', file('clinician.json'), '--page', page, '--sandbox-build']]) {
    const run = await check(args);
    expect(run.code, args.join(' ')).toBe(2);
    expect(run.stderr).toContain('Usage: npm run check');
    expect(run.stdout).toBe('');
  }
});

test('Ctrl-C stops the browser and removes the temporary profile', async () => {
  test.setTimeout(120_000);
  // A page with no patient keeps the command waiting for one.
  const run = await check(['--config', file('trust.json'), '--clinician', file('clinician.json'), '--page', `${new URL(page).origin}/`, '--sandbox-build'], { interruptAfterMs: 8_000 });
  expect(run.code === 130 || run.signal === 'SIGINT', `${run.code} ${run.signal} ${run.stderr}`).toBe(true);
  expect(run.stderr).toContain('Stopped (SIGINT)');
  expect(await command.leftBehind()).toEqual([]);
  expect(command.processesLeft()).toEqual([]);
});
