import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { contextFingerprint, type PatientContext } from '../../src/shared/patient';
import { PATIENTS } from '../sandbox/fixtures';
import { expect, test } from './fixtures';
import { evaluateInContentScript } from './pages/content-script-world';
import { EhrPage } from './pages/ehr-page';
import { OptionsPage } from './pages/extension-pages';

const john = PATIENTS[0]!;
const BUTTON = 'Open John Smith in Parchment';

/** What a content script tries against each storage area: read everything, then overwrite the configuration. */
const ATTEMPT = `(async () => {
  const tryIt = async (fn) => { try { return { ok: true, value: await fn() }; } catch (error) { return { ok: false, value: String(error && error.message) }; } };
  const out = {};
  for (const name of ['local', 'session']) {
    const area = chrome.storage && chrome.storage[name];
    out[name] = {
      read: await tryIt(async () => Object.keys(await area.get(null))),
      write: await tryIt(async () => { await area.set({ config: { partners: [] }, clinician: { username: 'intruder' } }); return 'written'; }),
    };
  }
  return out;
})()`;

test('a content script cannot read or change what the background trusts', { tag: '@hostile' }, async ({ context, sandbox, setUpExtension, worker }) => {
  await setUpExtension();
  const before = await worker.evaluate(() => chrome.storage.local.get(['config', 'clinician']));
  const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
  await ehr.openPatient(john.nhsNumber);
  await ehr.bar.waitForButton(BUTTON);

  const tried = await evaluateInContentScript<Record<'local' | 'session', { read: { ok: boolean; value: unknown }; write: { ok: boolean; value: unknown } }>>(ehr.page, ATTEMPT);
  for (const area of ['local', 'session'] as const) {
    expect(tried[area].read.ok, `${area} read: ${JSON.stringify(tried[area].read.value)}`).toBe(false);
    expect(tried[area].write.ok, `${area} write`).toBe(false);
  }
  // The worker holds the same configuration and clinician, and the diagnostics say storage is closed.
  expect(await worker.evaluate(() => chrome.storage.local.get(['config', 'clinician']))).toEqual(before);
  const options = await OptionsPage.open(context);
  await expect(options.page.getByTestId('diag-storage')).toContainText('closed to page scripts');
  await options.page.close();

  // The next ordinary click goes where the administrator configured, as the clinician set up.
  const portal = await ehr.launch(BUTTON);
  expect(new URL(portal.url()).origin).toBe(sandbox['parchment-portal']);
  await expect(portal.getByTestId('signed-in-user')).toContainText('Dr Alice Jones');
});

test('a partner re-pointed at another server cannot unseal its secrets: nothing is sent there', { tag: '@hostile' }, async ({ context, sandbox, setUpExtension, worker }) => {
  await setUpExtension();
  // Another server on this machine, recording what reaches it (CORS allowed, so a POST would arrive).
  const received: string[] = [];
  const intruder = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push(`${request.method} ${request.url} ${body}`);
      response.writeHead(request.method === 'OPTIONS' ? 204 : 200, {
        'access-control-allow-origin': '*',
        'access-control-allow-headers': '*',
        'access-control-allow-methods': 'POST',
        'content-type': 'application/json',
      });
      response.end(request.method === 'OPTIONS' ? '' : '{"token":"x"}');
    });
  });
  await new Promise<void>((resolve) => intruder.listen(0, '127.0.0.1', resolve));
  const intruderOrigin = `http://127.0.0.1:${(intruder.address() as AddressInfo).port}`;
  try {
    // A write that got past the browser's storage rules (or an administrator's change of address): only the
    // API address of Parchment changes.
    await worker.evaluate(async (origin) => {
      const { config } = (await chrome.storage.local.get('config')) as { config: { partners: { kind: string; apiBaseUrl?: string }[] } };
      for (const partner of config.partners) if (partner.kind === 'parchment') partner.apiBaseUrl = `${origin}/external`;
      await chrome.storage.local.set({ config });
    }, intruderOrigin);

    const ehr = new EhrPage(await context.newPage(), sandbox.ehr);
    await ehr.openPatient(john.nhsNumber);
    // The secret no longer counts as set: the button says so and cannot be clicked.
    const bar = await ehr.bar.waitFor((b) => b.buttons.some((x) => x.name === BUTTON && x.disabled));
    expect(bar.buttons.find((x) => x.name === BUTTON)?.description).toMatch(/not set up on this computer/);
    // A compromised renderer does not need the button: it asks for the launch itself, for the patient on screen.
    const reported = await worker.evaluate(async () => {
      const all = await chrome.storage.session.get(null);
      return Object.entries(all).find(([key, value]) => key.startsWith('tab:') && (value as { context?: unknown }).context)?.[1] as { context: PatientContext };
    });
    const answer = await evaluateInContentScript<{ ok: boolean; error?: { code: string; message: string } }>(
      ehr.page,
      `chrome.runtime.sendMessage({ type: 'launch.request', payload: { partnerId: 'parchment', fingerprint: ${JSON.stringify(contextFingerprint(reported.context))} } })`,
    );
    expect(answer).toMatchObject({ ok: false, error: { code: 'setup-needed', message: expect.stringMatching(/not fully set up on this computer/) } });
    expect(received.filter((line) => !line.startsWith('OPTIONS'))).toEqual([]);
    expect(context.pages().map((p) => new URL(p.url()).origin)).not.toContain(sandbox['parchment-portal']);
  } finally {
    await new Promise((resolve) => intruder.close(resolve));
  }
});
