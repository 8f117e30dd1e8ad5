import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from './admin-commands';
import { createKeyRing } from './keys/key-ring';
import { openStore } from './store/store';

// Each command opens the PGlite store (seconds, more while other test files run): generous limits.
describe('broker administration', { timeout: 60_000 }, () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'broker-admin-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  const runWith = async (env: NodeJS.ProcessEnv, ...args: string[]) => {
    const lines: string[] = [];
    const code = await runAdmin(args, { BROKER_DATA_DIR: dir, ...env }, (line) => lines.push(line));
    return { code, text: lines.join('\n') };
  };
  const run = (...args: string[]) => runWith({}, ...args);

  it('enrols an installation by the id its options page shows, and refuses what is not one', async () => {
    const id = 'A'.repeat(43);
    expect(await run('enrol', id, 'Ward', '7', 'PC', '12')).toEqual({ code: 0, text: `Enrolled ${id}.` });
    expect((await run('enrol', 'short', 'x')).code).toBe(2);
    const store = await openStore({ dataDir: dir });
    expect(await store.isEnrolled(id)).toBe(true);
    await store.appendAudit({ time: new Date().toISOString(), event: 'launch', clinician: '555000000101', partnerId: 'parchment', nhsNumber: '9990000018', outcome: 'ok', ms: 12, identity: { verified: true, issuer: 'https://cis2.example', subject: '555000000101' }, installation: id });
    await store.close();
  });

  it('prints the audit trail as CSV, or as a FHIR Bundle', async () => {
    const csv = await run('audit');
    expect(csv.text.split('\r\n')[0]).toBe('time,event,clinician,partner,nhsNumber,outcome,code,ms,id,identity,issuer,subject,role,nhsNumberNow,installation');
    expect(csv.text).toContain(',launch,555000000101,parchment,9990000018,ok,,12,');
    expect(csv.text.split('\r\n')[1]!.endsWith(`,${'A'.repeat(43)}`)).toBe(true);
    const fhir = JSON.parse((await run('audit', '--fhir')).text) as { resourceType: string; entry: unknown[] };
    expect(fhir).toMatchObject({ resourceType: 'Bundle', entry: [{ resource: { agent: [{ requestor: true }, { who: { display: 'parchment' } }, { who: { identifier: { system: 'urn:ietf:rfc:7638', value: 'A'.repeat(43) } } }] } }] });
  });

  it('lists the enrolled installations, aligned or as JSON, each with its newest launch', async () => {
    const other = 'B'.repeat(43);
    // A label with a terminal escape in it is printed harmless.
    expect((await run('enrol', other, 'Reception\u001b[2J')).code).toBe(0);
    const table = await run('enrolments');
    expect(table.code).toBe(0);
    const lines = table.text.split('\n');
    expect(lines[0]).toMatch(/^installation id +label +enrolled +last launch$/);
    expect(lines[1]).toMatch(new RegExp(`^${'A'.repeat(43)}  Ward 7 PC 12 +\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z  \\d{4}-[\\d:T.-]+Z$`));
    expect(lines[2]).toMatch(new RegExp(`^${other}  Reception\\?\\[2J +\\S+Z  never$`));
    // Columns line up: every row's third column starts where the header's does.
    expect(lines.slice(1).map((line) => line.search(/\d{4}-\d\d-\d\dT/))).toEqual([lines[0]!.indexOf('enrolled'), lines[0]!.indexOf('enrolled')]);
    const json = JSON.parse((await run('enrolments', '--json')).text) as unknown[];
    expect(json).toEqual([
      { installation: 'A'.repeat(43), label: 'Ward 7 PC 12', enrolledAt: expect.any(String), lastUsedAt: expect.any(String) },
      { installation: other, label: 'Reception\u001b[2J', enrolledAt: expect.any(String) },
    ]);
    expect((await run('enrolments', '--csv')).code).toBe(2);
  });

  it('withdraws an enrolment; an id not enrolled is an error, one that is not an id a usage message', async () => {
    const other = 'B'.repeat(43);
    expect(await run('unenrol', other)).toEqual({ code: 0, text: expect.stringContaining(`Unenrolled ${other}`) });
    expect(await run('unenrol', other)).toEqual({ code: 1, text: expect.stringContaining(`${other} is not enrolled`) });
    expect((await run('unenrol', 'not-an-id')).code).toBe(2);
    expect((await run('unenrol')).code).toBe(2);
    expect((await run('unenrol', other, 'extra')).code).toBe(2);
    expect(JSON.parse((await run('enrolments', '--json')).text)).toMatchObject([{ installation: 'A'.repeat(43) }]);
    expect(await run('unenrol', 'A'.repeat(43))).toMatchObject({ code: 0 });
    expect(await run('enrolments')).toEqual({ code: 0, text: 'No installation is enrolled.' });
    const store = await openStore({ dataDir: dir });
    expect(await store.isEnrolled('A'.repeat(43))).toBe(false);
    await store.close();
  });

  it('seals every signing key again under BROKER_KEK, once, and never prints key material', async () => {
    const [a, b, c] = [0, 1, 2].map(() => randomBytes(32).toString('base64url')) as [string, string, string];
    expect(await runWith({ BROKER_KEK: a }, 'rewrap-keys')).toEqual({ code: 0, text: 'There are no signing keys in the database: nothing to seal.' });
    const store = await openStore({ dataDir: dir });
    const ring = createKeyRing({ store, kek: Buffer.from(a, 'base64url'), now: Date.now, rotateAfterDays: 90, overlapHours: 72, refreshMs: 0 });
    await ring.signer('ES256');
    await ring.rotate('ES256');
    const sealed = JSON.stringify(await store.listKeys());
    await store.close();

    const outputs: string[] = [];
    const rewrap = async (env: NodeJS.ProcessEnv) => {
      const result = await runWith(env, 'rewrap-keys');
      outputs.push(result.text);
      return result;
    };
    expect(await rewrap({})).toEqual({ code: 2, text: expect.stringContaining('BROKER_KEK is required') });
    expect(await rewrap({ BROKER_KEK: c })).toEqual({ code: 1, text: expect.stringContaining('2 signing key(s) cannot be opened') });
    expect(await rewrap({ BROKER_KEK: b, BROKER_KEK_PREVIOUS: b })).toMatchObject({ code: 2 });
    expect(await rewrap({ BROKER_KEK: b, BROKER_KEK_PREVIOUS: a })).toEqual({ code: 0, text: expect.stringMatching(/^Sealed 2 signing keys again under BROKER_KEK; 0 already were\. .*remove BROKER_KEK_PREVIOUS/) });
    expect(await rewrap({ BROKER_KEK: b, BROKER_KEK_PREVIOUS: a })).toEqual({ code: 0, text: expect.stringMatching(/^Sealed 0 signing keys again under BROKER_KEK; 2 already were\./) });
    expect(await rewrap({ BROKER_KEK: b })).toEqual({ code: 0, text: 'Sealed 0 signing keys again under BROKER_KEK; 2 already were.' });
    expect((await runWith({ BROKER_KEK: b }, 'rewrap-keys', 'now')).code).toBe(2);

    const text = outputs.join('\n');
    for (const secret of [a, b, c]) expect(text).not.toContain(secret);
    for (const key of JSON.parse(sealed) as { sealedPrivate: { iv: string; data: string } }[]) expect(text).not.toContain(key.sealedPrivate.data);
    expect(text).not.toMatch(/"d"|eyJ/);
  });

  it('says how to use it', async () => {
    expect(await run('nonsense')).toMatchObject({ code: 2, text: expect.stringContaining('usage') });
    expect(await runAdmin(['audit'], {}, () => undefined)).toBe(2);
  });
});
