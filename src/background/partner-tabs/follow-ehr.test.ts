import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PatientContext } from '../../shared/patient';

const area = vi.hoisted(() => new Map<string, unknown>());
vi.mock('webextension-polyfill', () => ({
  default: {
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
vi.mock('../settings', () => ({ configItem: { get: async () => ({ partners }) } }));
vi.mock('../identity/clinician-source', () => ({ clinicianState: async () => ({ profile: { username: 'dr.a' } }) }));
const audits = vi.hoisted(() => [] as { event: string; outcome: string; code?: string }[]);
vi.mock('../audit', () => ({ recordAudit: async (entry: { event: string; outcome: string; code?: string }) => void audits.push(entry) }));
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

beforeEach(() => {
  area.clear();
  audits.length = 0;
  vi.clearAllMocks();
});

describe('a follow that fails', () => {
  it('marks the tab when nothing was opened in it: it still shows the previous patient', async () => {
    await partnerTabs.set(record(SMITH));
    relaunchInto.mockRejectedValueOnce(new LaunchError('patient-changed', 'changed'));
    await ehrReported(1, DOE);
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
    await ehrReported(1, DOE);
    expect(await partnerTabs.get(10)).toMatchObject({ patient: { nhsNumber: DOE.nhsNumber }, state: 'current', strip: null });
    expect(strip.injectStrip).not.toHaveBeenCalled();
    expect(audits).toEqual([expect.objectContaining({ event: 'tab-followed', outcome: 'error', code: 'sign-in-refused' })]);
  });
});
