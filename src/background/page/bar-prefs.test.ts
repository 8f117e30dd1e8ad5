import { describe, expect, it, vi } from 'vitest';

const area = vi.hoisted(() => new Map<string, unknown>());
vi.mock('../../shared/browser-api', () => ({
  browser: {
    storage: {
      onChanged: { addListener: () => undefined },
      local: {
        get: async (key: string) => (area.has(key) ? { [key]: area.get(key) } : {}),
        set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([k, v]) => area.set(k, v)),
        remove: async (key: string) => void area.delete(key),
      },
    },
  },
}));

const { barPrefs } = await import('./bar-prefs');

const EHR = 'https://ehr.trust.nhs.uk';
const OTHER = 'https://pas.trust.nhs.uk';

describe('the launch bar minimised per EHR site', () => {
  it('is remembered for the site it was minimised on only, and forgotten when restored', async () => {
    expect(await barPrefs.minimised(EHR)).toBe(false);
    await barPrefs.setMinimised(EHR, true);
    await barPrefs.setMinimised(EHR, true);
    expect(await barPrefs.minimised(EHR)).toBe(true);
    expect(await barPrefs.minimised(OTHER)).toBe(false);
    expect(area.get('barMinimised')).toEqual([EHR]);
    await barPrefs.setMinimised(EHR, false);
    expect(await barPrefs.minimised(EHR)).toBe(false);
  });

  it('a stored value of the wrong shape counts as nothing minimised', async () => {
    area.set('barMinimised', 'https://ehr.trust.nhs.uk');
    await barPrefs.setMinimised(OTHER, false);
    expect(await barPrefs.minimised(EHR)).toBe(false);
  });
});
