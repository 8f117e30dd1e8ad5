import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PartnerConfig } from '../../shared/config';

const area = vi.hoisted(() => new Map<string, unknown>());
vi.mock('webextension-polyfill', () => ({
  default: {
    storage: {
      session: {
        get: async (key: string) => (area.has(key) ? { [key]: area.get(key) } : {}),
        set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([k, v]) => area.set(k, v)),
        remove: async (key: string) => void area.delete(key),
      },
    },
  },
}));
const strip = vi.hoisted(() => ({ injectStrip: vi.fn(async () => true), sendStrip: vi.fn(async () => undefined) }));
vi.mock('./strip-channel', () => strip);

const { rememberLaunchedTab } = await import('./remember');
const { partnerTabs } = await import('./registry');

const partner = { id: 'parchment', label: 'Parchment' } as PartnerConfig;
const DOE = { nhsNumber: '9434765870', birthDate: '1990-01-01', name: { family: 'DOE', given: 'Jane' } };
const ehr = { tabId: 1, frameId: 0, origin: 'https://ehr.example' };

beforeEach(() => {
  area.clear();
  vi.clearAllMocks();
});

describe('rememberLaunchedTab', () => {
  it('remembers the tab for the patient it was launched for, from that EHR tab', async () => {
    await rememberLaunchedTab({ tabId: 10, partner, origins: ['https://rx.example'], patient: DOE, ehr });
    expect(await partnerTabs.get(10)).toMatchObject({ partnerId: 'parchment', patient: { nhsNumber: DOE.nhsNumber, name: 'Jane DOE' }, ehr, state: 'current', strip: null });
  });

  it('leaves the strip on the page the tab still shows: it goes with that page, and stays if the page never leaves', async () => {
    // Launched into a marked tab: until the partner's new page replaces it (a page may even refuse to be left,
    // "Leave site?"), the page there is the previous patient's and must keep its warning.
    await rememberLaunchedTab({ tabId: 10, partner, origins: ['https://rx.example'], patient: DOE, ehr });
    expect(strip.sendStrip).not.toHaveBeenCalled();
  });
});
