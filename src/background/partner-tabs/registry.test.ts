import { beforeEach, describe, expect, it, vi } from 'vitest';

const area = vi.hoisted(() => new Map<string, unknown>());
vi.mock('../../shared/browser-api', () => ({
  browser: {
    storage: {
      session: {
        get: async (key: string | null) => (key === null ? Object.fromEntries(area) : area.has(key) ? { [key]: area.get(key) } : {}),
        set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([k, v]) => area.set(k, v)),
        remove: async (key: string) => void area.delete(key),
      },
    },
  },
}));

const { partnerTabs } = await import('./registry');
type PartnerTabRecord = Parameters<typeof partnerTabs.set>[0];

const SMITH = { name: 'John SMITH', nhsNumber: '9434765919', fingerprint: '9434765919|1985-03-12|SMITH|John|' };

function record(tabId: number, ehrTabId: number, openedAt: number): PartnerTabRecord {
  return {
    tabId,
    partnerId: 'parchment',
    partnerLabel: 'Parchment',
    origins: ['https://rx.example'],
    patient: SMITH,
    ehr: { tabId: ehrTabId, frameId: 0, origin: 'https://ehr.example' },
    openedAt,
    state: 'current',
    strip: null,
    tampered: 0,
  };
}

beforeEach(() => area.clear());

describe('the partner tab registry', () => {
  it('keeps one record per tab, and forgets it', async () => {
    await partnerTabs.set(record(10, 1, 1));
    await partnerTabs.set(record(11, 1, 2));
    expect(await partnerTabs.get(10)).toEqual(record(10, 1, 1));
    await partnerTabs.set({ ...record(10, 1, 1), state: 'marked', strip: { partnerLabel: 'Parchment', was: { name: SMITH.name, nhsNumber: SMITH.nhsNumber }, trigger: 'ehr-closed', now: null } });
    expect(await partnerTabs.get(10)).toMatchObject({ state: 'marked' });
    expect(await partnerTabs.get(11)).toEqual(record(11, 1, 2));
    await partnerTabs.remove(10);
    expect(await partnerTabs.get(10)).toBeUndefined();
    expect(await partnerTabs.get(11)).toBeDefined();
  });

  it('lists the tabs in the order they were opened, and those of one EHR tab', async () => {
    await partnerTabs.set(record(12, 2, 3));
    await partnerTabs.set(record(10, 1, 1));
    await partnerTabs.set(record(11, 1, 2));
    expect((await partnerTabs.all()).map((r) => r.tabId)).toEqual([10, 11, 12]);
    expect((await partnerTabs.fromEhrTab(1)).map((r) => r.tabId)).toEqual([10, 11]);
    expect(await partnerTabs.fromEhrTab(3)).toEqual([]);
  });

  it('ignores other keys of the session area and records that do not pass the schema', async () => {
    await partnerTabs.set(record(10, 1, 1));
    area.set('tabContext:10', { context: null });
    area.set('partnerTab:11', { tabId: 11, partnerId: 'parchment' });
    expect((await partnerTabs.all()).map((r) => r.tabId)).toEqual([10]);
    expect(await partnerTabs.get(11)).toBeUndefined();
  });
});
