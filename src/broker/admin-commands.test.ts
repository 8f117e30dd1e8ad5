import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from './admin-commands';
import { openStore } from './store/store';

// Each command opens the PGlite store (seconds, more while other test files run): generous limits.
describe('broker administration', { timeout: 60_000 }, () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'broker-admin-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  const run = async (...args: string[]) => {
    const lines: string[] = [];
    const code = await runAdmin(args, { BROKER_DATA_DIR: dir }, (line) => lines.push(line));
    return { code, text: lines.join('\n') };
  };

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
    expect(csv.text.split('\r\n')[0]).toBe('time,event,clinician,partner,nhsNumber,outcome,code,ms,id,identity,issuer,subject,role,nhsNumberNow');
    expect(csv.text).toContain(',launch,555000000101,parchment,9990000018,ok,,12,');
    const fhir = JSON.parse((await run('audit', '--fhir')).text) as { resourceType: string; entry: unknown[] };
    expect(fhir).toMatchObject({ resourceType: 'Bundle', entry: [expect.anything()] });
  });

  it('says how to use it', async () => {
    expect(await run('nonsense')).toMatchObject({ code: 2, text: expect.stringContaining('usage') });
    expect(await runAdmin(['audit'], {}, () => undefined)).toBe(2);
  });
});
