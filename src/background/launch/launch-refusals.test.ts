import { beforeEach, describe, expect, it, vi } from 'vitest';

const area = vi.hoisted(() => new Map<string, unknown>());
const action = vi.hoisted(() => ({
  setBadgeText: vi.fn(async () => undefined),
  setBadgeBackgroundColor: vi.fn(async () => undefined),
  setBadgeTextColor: vi.fn(async () => undefined),
  setTitle: vi.fn(async () => undefined),
  getTitle: vi.fn(async () => 'actionTitle'),
}));
vi.mock('../../shared/browser-api', () => ({
  browser: {
    action,
    i18n: { getMessage: (key: string) => key },
    storage: {
      session: {
        get: async (key: string) => (area.has(key) ? { [key]: area.get(key) } : {}),
        set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([k, v]) => area.set(k, v)),
        remove: async (key: string) => void area.delete(key),
      },
    },
  },
}));


const { launchRefusals } = await import('./launch-refusals');

const JOHN = '9990000018|1985-03-12|Smith|John|Mr';
const ZOE = '9991234578|1992-07-04|OBrien-Smith|Zoe|Ms';
const refusal = (fingerprint: string | null) => ({ partnerId: 'parchment', partnerLabel: 'Parchment', message: 'barRefused_faded', fingerprint, at: 1 });

beforeEach(() => {
  area.clear();
  vi.clearAllMocks();
});

describe('the last refused launch of a tab', () => {
  it('is kept for the tab with the badge set on that tab only', async () => {
    await launchRefusals.record(7, refusal(JOHN));
    expect(await launchRefusals.get(7)).toEqual(refusal(JOHN));
    expect(await launchRefusals.get(8)).toBeUndefined();
    expect(action.setBadgeText).toHaveBeenCalledWith({ tabId: 7, text: '!' });
    expect(action.setTitle).toHaveBeenCalledWith({ tabId: 7, title: 'actionTitle: badgeRefused' });
  });

  it('stays while the tab shows the same patient (and puts the badge back after a reload), goes when another patient shows', async () => {
    await launchRefusals.record(7, refusal(JOHN));
    vi.clearAllMocks();
    await launchRefusals.afterReport(7, JOHN);
    expect(await launchRefusals.get(7)).toBeDefined();
    expect(action.setBadgeText).toHaveBeenCalledWith({ tabId: 7, text: '!' });
    await launchRefusals.afterReport(7, ZOE);
    expect(await launchRefusals.get(7)).toBeUndefined();
    // The tab's own badge text is dropped, so it shows what every tab shows again.
    expect(action.setBadgeText).toHaveBeenLastCalledWith({ tabId: 7 });
    expect(action.setTitle).toHaveBeenLastCalledWith({ tabId: 7, title: 'actionTitle' });
  });

  it('from a list page (no single patient): kept while the page shows nobody, gone when a patient shows', async () => {
    await launchRefusals.record(7, refusal(null));
    await launchRefusals.afterReport(7, null);
    expect(await launchRefusals.get(7)).toBeDefined();
    await launchRefusals.afterReport(7, JOHN);
    expect(await launchRefusals.get(7)).toBeUndefined();
  });

  it('a tab with nothing refused is left alone', async () => {
    await launchRefusals.afterReport(7, JOHN);
    await launchRefusals.clear(7);
    expect(action.setBadgeText).not.toHaveBeenCalled();
  });

  it('a stored value that is not a refusal is none', async () => {
    area.set('refusal:7', { message: 42 });
    expect(await launchRefusals.get(7)).toBeUndefined();
  });
});
