import { beforeEach, describe, expect, it, vi } from 'vitest';

/** The picking session: started only on a configured EHR tab, and answered only by the picker it injected. */

const EHR = 'https://ehr.example.nhs.uk';
const session = new Map<string, unknown>();
const tabs = new Map<number, { id: number; url: string; windowId: number }>();
const injected: unknown[] = [];
const sent: unknown[] = [];
let pickerAnswer: unknown = { context: null, problem: 'no-patient' };

vi.mock('../../shared/browser-api', () => ({
  browser: {
    storage: {
      session: {
        get: async (key: string) => (session.has(key) ? { [key]: session.get(key) } : {}),
        set: async (items: Record<string, unknown>) => void Object.entries(items).forEach(([k, v]) => session.set(k, structuredClone(v))),
      },
    },
    tabs: {
      get: async (id: number) => {
        const tab = tabs.get(id);
        if (!tab) throw new Error('no tab');
        return tab;
      },
      update: async () => ({}),
      sendMessage: (...args: unknown[]) => picker.tabs.sendMessage(...args),
    },
    windows: { update: async () => ({}) },
    scripting: { executeScript: (details: unknown) => picker.scripting.executeScript(details) },
  },
}));
vi.mock('../../content/picker/picker.ts?script&iife', () => ({ default: 'src/content/picker/picker.js' }));
vi.mock('../settings/settings', () => ({ configItem: { get: async () => ({ ehrSites: [{ origin: EHR, profile: 'generic' }], partners: [], profiles: [] }) } }));

/** Injecting the picker and asking it: what the page would answer. */
const picker = {
  scripting: {
    executeScript: async (details: unknown) => {
      injected.push(details);
      return [{ frameId: 0, documentId: 'doc-1', result: null }];
    },
  },
  tabs: {
    sendMessage: async (...args: unknown[]) => {
      sent.push(args);
      return pickerAnswer;
    },
  },
};

const { pickingState, readWithDraft, receivePicks, startPicking } = await import('./profile-builder');

const OPTIONS = { kind: 'extension' as const, url: 'chrome-extension://id/src/options/index.html', tabId: 1 };
const content = (over: Partial<{ tabId: number; frameId: number; documentId: string; origin: string }> = {}) => ({
  kind: 'content' as const,
  url: `${EHR}/patients/1`,
  origin: EHR,
  tabId: 7,
  tabIndex: 0,
  windowId: 1,
  frameId: 0,
  documentId: 'doc-1',
  ...over,
});
const pick = (selector: string, text: string) => ({ selector, text });
const PICKS = { banner: pick('#b', 'banner'), nhsNumber: pick('.n', '943 476 5919'), birthDate: pick('.d', '12-Mar-1985'), name: pick('.m', 'SMITH, John') };

beforeEach(() => {
  session.clear();
  tabs.clear();
  injected.length = 0;
  sent.length = 0;
  tabs.set(7, { id: 7, url: `${EHR}/patients/1`, windowId: 1 });
  tabs.set(8, { id: 8, url: 'https://elsewhere.example/page', windowId: 1 });
});

describe('profile builder session', () => {
  it('injects the picker into the top frame of a configured EHR tab only', async () => {
    await expect(startPicking(8, OPTIONS)).rejects.toThrow(/does not show a page of an EHR site/);
    await expect(startPicking(99, OPTIONS)).rejects.toThrow(/does not show a page of an EHR site/);
    expect(injected).toEqual([]);
    await startPicking(7, OPTIONS);
    expect(injected).toEqual([{ target: { tabId: 7, frameIds: [0] }, files: ['src/content/picker/picker.js'] }]);
    expect(await pickingState(7)).toEqual({ state: 'picking', tabId: 7 });
    expect(await pickingState(8)).toEqual({ state: 'none' });
  });

  it('accepts picks only from the tab, top frame and document it injected into', async () => {
    await expect(receivePicks('picked', PICKS, content())).rejects.toThrow(/not allowed/);
    await startPicking(7, OPTIONS);
    for (const other of [content({ tabId: 8 }), content({ frameId: 3 }), content({ documentId: 'doc-2' }), content({ origin: 'https://other.example' })]) {
      await expect(receivePicks('picked', PICKS, other)).rejects.toThrow(/not allowed/);
    }
    expect(await pickingState(7)).toEqual({ state: 'picking', tabId: 7 });
    await receivePicks('picked', PICKS, content());
    expect(await pickingState(7)).toEqual({ state: 'picked', tabId: 7, origin: EHR, picks: PICKS });
    // Once: a second answer (or a cancel) after the picks is refused.
    await expect(receivePicks('cancelled', undefined, content())).rejects.toThrow(/not allowed/);
  });

  it('takes a page still picking out of picking mode when another tab is taught', async () => {
    tabs.set(9, { id: 9, url: `${EHR}/patients/2`, windowId: 1 });
    await startPicking(7, OPTIONS);
    await startPicking(9, OPTIONS);
    expect(sent).toEqual([[7, { type: 'picker.stop', payload: {} }, { frameId: 0, documentId: 'doc-1' }]]);
    expect(await pickingState(7)).toEqual({ state: 'none' });
    await expect(receivePicks('picked', PICKS, content())).rejects.toThrow(/not allowed/);
  });

  it('records a cancel, and refuses "picked" without picks', async () => {
    await startPicking(7, OPTIONS);
    await expect(receivePicks('picked', undefined, content())).rejects.toThrow(/malformed/);
    await receivePicks('cancelled', undefined, content());
    expect(await pickingState(7)).toEqual({ state: 'cancelled', tabId: 7 });
  });

  it('reads the taught tab with a valid draft profile through its picker, and checks the answer', async () => {
    const profile = { name: 'example', banner: { selector: '#b' } };
    await expect(readWithDraft(7, profile)).rejects.toThrow(/Teach EHR Launchpad this page first/);
    await startPicking(7, OPTIONS);
    await receivePicks('picked', PICKS, content());
    await expect(readWithDraft(7, { name: 'Bad Name' })).rejects.toThrow(/not valid/);
    pickerAnswer = { context: { nhsNumber: '9434765919', name: { family: 'Smith', given: 'John' } } };
    expect(await readWithDraft(7, profile)).toEqual(pickerAnswer);
    expect(sent.at(-1)).toEqual([7, { type: 'picker.read', payload: { profile: { ...profile, corner: 'bottom-right' } } }, { frameId: 0, documentId: 'doc-1' }]);
    pickerAnswer = undefined;
    await expect(readWithDraft(7, profile)).rejects.toThrow(/page has changed/);
  });
});
