import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PatientContext } from '../../shared/patient';

const area = vi.hoisted(() => new Map<string, unknown>());
vi.mock('../../shared/browser-api', () => ({
  browser: {
    runtime: { getURL: (path: string) => `chrome-extension://id/${path}` },
    tabs: { remove: vi.fn(async () => undefined) },
    storage: {
      session: {
        get: async (key: string | null) => (key === null ? Object.fromEntries(area) : area.has(key) ? { [key]: area.get(key) } : {}),
        set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([k, v]) => area.set(k, structuredClone(v))),
        remove: async (key: string) => void area.delete(key),
      },
    },
  },
}));
const partners = vi.hoisted(() => [{ id: 'viewer', label: 'Viewer', staleTab: 'follow', readOnly: true }]);
vi.mock('../settings/settings', () => ({ configItem: { get: async () => ({ partners }) } }));
vi.mock('../identity/clinician-source', () => ({ clinicianState: async () => ({ profile: { username: 'dr.a' } }) }));
const audits = vi.hoisted(() => [] as { event: string; outcome: string; code?: string }[]);
vi.mock('../audit/audit', () => ({ recordAudit: async (entry: { event: string; outcome: string; code?: string }) => void audits.push(entry) }));
const strip = vi.hoisted(() => ({ injectStrip: vi.fn(async () => true), sendStrip: vi.fn(async () => undefined) }));
vi.mock('./strip-channel', () => strip);
const relaunchInto = vi.hoisted(() => vi.fn());
vi.mock('./relaunch', () => ({ relaunchInto }));

const { ehrReported } = await import('./follow-ehr');
const { partnerTabs } = await import('./registry');
const { shownPatient } = await import('./remember');
const { LaunchError } = await import('../../shared/launch-error');

const SMITH: PatientContext = { nhsNumber: '9434765919', birthDate: '1985-03-12', name: { family: 'SMITH', given: 'John' } };
const DOE: PatientContext = { nhsNumber: '9434765870', birthDate: '1990-01-01', name: { family: 'DOE', given: 'Jane' } };

function record(patient: PatientContext) {
  return {
    tabId: 10,
    partnerId: 'viewer',
    partnerLabel: 'Viewer',
    origins: ['https://viewer.example'],
    patient: shownPatient(patient),
    ehr: { tabId: 1, frameId: 0, origin: 'https://ehr.example' },
    openedAt: 1,
    state: 'current' as const,
    strip: null,
    tampered: 0,
  };
}

/** The EHR tab (id 1) now shows `patient`, as its content script reported. */
function ehrShows(patient: PatientContext) {
  area.set('tab:1', { url: 'https://ehr.example/p', origin: 'https://ehr.example', frameId: 0, context: patient, reportedAt: Date.now() });
}

beforeEach(() => {
  area.clear();
  audits.length = 0;
  vi.clearAllMocks();
});

describe('a follow that fails', () => {
  it('marks the tab when nothing was opened in it: it still shows the previous patient', async () => {
    await partnerTabs.set(record(SMITH));
    relaunchInto.mockRejectedValueOnce(new LaunchError('patient-changed', 'changed'));
    ehrShows(DOE);
    await ehrReported(1);
    expect(await partnerTabs.get(10)).toMatchObject({ patient: { nhsNumber: SMITH.nhsNumber }, state: 'marked', strip: { now: { nhsNumber: DOE.nhsNumber } } });
    expect(strip.injectStrip).toHaveBeenCalledWith(10);
  });

  it('after the tab was already opened for the new patient, does not put the previous patient back on it', async () => {
    await partnerTabs.set(record(SMITH));
    // The launch opened the partner for Jane Doe in the tab (and remembered so), then failed on the landing.
    relaunchInto.mockImplementationOnce(async () => {
      await partnerTabs.set({ ...record(DOE), openedAt: 2 });
      throw new LaunchError('sign-in-refused', 'refused twice');
    });
    ehrShows(DOE);
    await ehrReported(1);
    expect(await partnerTabs.get(10)).toMatchObject({ patient: { nhsNumber: DOE.nhsNumber }, state: 'current', strip: null });
    expect(strip.injectStrip).not.toHaveBeenCalled();
    expect(audits).toEqual([expect.objectContaining({ event: 'tab-followed', outcome: 'error', code: 'sign-in-refused' })]);
  });
});

describe('follow', () => {
  it('relaunches only a patient the EHR stays on, without bringing the partner tab to the front', async () => {
    await partnerTabs.set(record(SMITH));
    relaunchInto.mockResolvedValueOnce({ outcome: 'ok' });
    ehrShows(DOE);
    await ehrReported(1);
    expect(relaunchInto).toHaveBeenCalledWith(expect.objectContaining({ tabId: 10 }), shownPatient(DOE).fingerprint, { activate: false });
    expect(audits).toEqual([expect.objectContaining({ event: 'tab-followed', outcome: 'ok', code: 'patient-changed' })]);
  });

  it('a follow whose landing could not be seen is audited as sent, not ok', async () => {
    await partnerTabs.set(record(SMITH));
    relaunchInto.mockResolvedValueOnce({ outcome: 'sent', code: 'outcome-not-visible' });
    ehrShows(DOE);
    await ehrReported(1);
    expect(audits).toEqual([expect.objectContaining({ event: 'tab-followed', outcome: 'sent', code: 'outcome-not-visible' })]);
  });

  it('does not relaunch for a patient the EHR only passed through', async () => {
    await partnerTabs.set(record(SMITH));
    ehrShows(DOE);
    const handled = ehrReported(1);
    // Before the EHR has stayed on Jane Doe long enough, it moves back to John Smith.
    ehrShows(SMITH);
    await handled;
    expect(relaunchInto).not.toHaveBeenCalled();
  });
});

describe('the strip', () => {
  it('"Open … here" for a patient the strip no longer names is refused in words, not silently', async () => {
    const { stripAction } = await import('./follow-ehr');
    await partnerTabs.set({ ...record(SMITH), state: 'marked', strip: { partnerLabel: 'Viewer', was: { name: 'John Smith', nhsNumber: SMITH.nhsNumber }, trigger: 'patient-changed', now: shownPatient(DOE) } });
    await expect(stripAction(10, 'open-here', 'someone|else')).rejects.toMatchObject({ code: 'patient-changed' });
    expect(relaunchInto).not.toHaveBeenCalled();
  });
});

describe('a partner tab moving', () => {
  it('stays followed on a page whose address it cannot see (the partner app on another host), and is forgotten on one it sees elsewhere', async () => {
    const { tabUpdated } = await import('./follow-ehr');
    await partnerTabs.set(record(SMITH));
    const isEhr = async () => false;
    await tabUpdated(10, { status: 'loading' }, { id: 10 } as never, isEhr);
    expect(await partnerTabs.get(10)).toBeDefined();
    await tabUpdated(10, { url: 'https://news.example/' }, { id: 10, url: 'https://news.example/' } as never, isEhr);
    expect(await partnerTabs.get(10)).toBeUndefined();
  });

  it('takes a relaunch as the tab’s own once the tab starts loading it', async () => {
    const { tabUpdated } = await import('./follow-ehr');
    const pending = { patient: shownPatient(DOE), ehr: { tabId: 1, frameId: 0, origin: 'https://ehr.example' }, origins: ['https://viewer.example'], at: Date.now() };
    await partnerTabs.set({ ...record(SMITH), state: 'marked', strip: { partnerLabel: 'Viewer', was: { name: 'John Smith', nhsNumber: SMITH.nhsNumber }, trigger: 'patient-changed', now: shownPatient(DOE) }, pending });
    await tabUpdated(10, { status: 'loading', url: 'https://viewer.example/launch' }, { id: 10, url: 'https://viewer.example/launch' } as never, async () => false);
    expect(await partnerTabs.get(10)).toMatchObject({ patient: { nhsNumber: DOE.nhsNumber }, state: 'current', strip: null });
    expect((await partnerTabs.get(10))?.pending).toBeUndefined();
  });
});

describe('a relaunch that failed before the tab was sent anywhere', () => {
  it('is dropped, so a later reload of the previous patient’s page is not taken for it', async () => {
    const { dropPendingRelaunch } = await import('./remember');
    const { tabUpdated } = await import('./follow-ehr');
    const pending = { patient: shownPatient(DOE), ehr: { tabId: 1, frameId: 0, origin: 'https://ehr.example' }, origins: ['https://viewer.example'], at: Date.now() };
    await partnerTabs.set({ ...record(SMITH), pending });
    await dropPendingRelaunch(10);
    await tabUpdated(10, { status: 'loading' }, { id: 10, url: 'https://viewer.example/record' } as never, async () => false);
    expect(await partnerTabs.get(10)).toMatchObject({ patient: { nhsNumber: SMITH.nhsNumber } });
    expect((await partnerTabs.get(10))?.pending).toBeUndefined();
  });
});
