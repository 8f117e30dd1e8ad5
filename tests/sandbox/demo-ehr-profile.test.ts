import { describe, expect, it } from 'vitest';
import { bannerFramesShown, detectPatient, readDocument } from '../../src/content/detect';
import { ehrProfileSchema } from '../../src/shared/ehr-profile';
import { ehrPageKit, pause } from './demo-ehr-page-kit';
import { readRows } from '../../src/content/detect-rows';
import { listEntries, LIST_ROWS } from './demo-ehr-list';
import { DEMO_EHR_PROFILE, DEMO_EHR_ROWS } from './extension-config';
import { PATIENTS } from './fixtures';
import { useSandbox } from './test-kit';

/**
 * The demo EHR's shipped detection profile (the one the sandbox configuration uses) on every layout's real
 * HTML: the patient where there is one, and the right reason where there is none.
 */

const sandbox = useSandbox();
const kit = ehrPageKit(sandbox);
const profile = ehrProfileSchema.parse(DEMO_EHR_PROFILE);
const today = new Date(2026, 0, 1);
const [john, zoe] = [PATIENTS[0]!, PATIENTS[1]!];
const read = (doc: Document) => detectPatient(doc, today, profile);

describe('demo EHR profile', () => {
  it('is a valid profile', () => {
    expect(ehrProfileSchema.safeParse(DEMO_EHR_PROFILE).success).toBe(true);
  });

  it.each(['classic', 'spa', 'busy'])('reads the patient on the %s layout', async (layout) => {
    const page = await kit.run(`/patients/${john.nhsNumber}?layout=${layout}`);
    expect(read(page.doc).context).toMatchObject({ nhsNumber: john.nhsNumber, birthDate: john.birthDate, name: { given: john.given } });
  });

  it('reads every demo patient on the classic layout, never a recent patient from the sidebar', async () => {
    for (const patient of PATIENTS) {
      const { html } = await kit.page(`/patients/${patient.nhsNumber}`);
      expect(read(kit.load(html, `/patients/${patient.nhsNumber}`).doc).context?.nhsNumber).toBe(patient.nhsNumber);
    }
  });

  it('reads the banner frame document of the iframe layout', async () => {
    const frame = await kit.run(`/patients/${zoe.nhsNumber}/banner-frame`);
    expect(read(frame.doc).context?.nhsNumber).toBe(zoe.nhsNumber);
  });

  it('on the xframe layout, reads the patient only with the reading of the banner service frame the profile names', async () => {
    const page = await kit.run(`/patients/${zoe.nhsNumber}?layout=xframe`);
    // The top frame alone has no banner: the patient is in the cross-origin frame.
    expect(read(page.doc)).toEqual({ context: null, problem: 'no-patient' });
    const framed = ehrProfileSchema.parse({ ...DEMO_EHR_PROFILE, frameOrigins: [sandbox.urls['ehr-banner']] });
    expect(bannerFramesShown(page.doc, profile)).toEqual([]);
    expect(bannerFramesShown(page.doc, framed).map((f) => f.origin)).toEqual([sandbox.urls['ehr-banner']]);
    const html = await (await fetch(`${sandbox.urls['ehr-banner']}/patients/${zoe.nhsNumber}/banner-frame`)).text();
    const reading = readDocument(kit.load(html, `/patients/${zoe.nhsNumber}/banner-frame`).doc, framed);
    expect(reading.banners).toHaveLength(1);
    expect(detectPatient(page.doc, today, framed, [reading]).context).toMatchObject({ nhsNumber: zoe.nhsNumber, birthDate: zoe.birthDate });
  });

  it('with per-row launch added, reads every row of the clinic list as its own patient', async () => {
    const page = await kit.run('/list');
    const withRows = ehrProfileSchema.parse({ ...DEMO_EHR_PROFILE, rows: DEMO_EHR_ROWS });
    const rows = readRows(page.doc, withRows, today);
    expect(rows.map((r) => [r.context.nhsNumber, r.context.birthDate])).toEqual(listEntries(LIST_ROWS).map((e) => [e.nhsNumber, e.birthDate]));
    expect(rows[0]?.row.querySelector('td.actions')).not.toBeNull();
    // The shipped profile does not ask for it.
    expect(readRows(page.doc, profile, today)).toEqual([]);
  });

  it('finds the late banner once it is rendered, and nothing before', async () => {
    const page = await kit.run(`/patients/${john.nhsNumber}?layout=late&bannerDelayMs=50`);
    expect(read(page.doc)).toEqual({ context: null, problem: 'no-patient' });
    await pause(150);
    expect(read(page.doc).context?.nhsNumber).toBe(john.nhsNumber);
  });

  it.each([
    ['list', 'no-patient'],
    ['split', 'two-patients'],
    ['stale', 'fields-disagree'],
  ])('gives no patient on the %s layout (%s)', async (layout, problem) => {
    const page = await kit.run(`/patients/${john.nhsNumber}?layout=${layout}`);
    expect(read(page.doc)).toEqual({ context: null, problem });
  });

  it('refuses non-ASCII digits on the hostile page', async () => {
    for (const digits of ['arabic', 'fullwidth']) {
      const page = await kit.run(`/hostile/digits/${john.nhsNumber}?digits=${digits}`);
      expect(read(page.doc).context).toBeNull();
    }
  });
});
