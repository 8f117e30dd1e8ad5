import { describe, expect, it, vi } from 'vitest';

vi.mock('../../shared/browser-api', () => ({ browser: {} }));

const { watchLanding } = await import('./landing-watch');
type Api = import('./landing-watch').LandingWatchApi;
type Reading = import('./landing-judgement').PageReading;

const OWN = 'chrome-extension://ikbkgfoadadldhedkemepfmjnahodadh';
const TAB = 7;

/** A tab the test drives: each `show` is one onUpdated report, as the browser sends them. */
function fakeTab(start: Partial<chrome.tabs.Tab> = { status: 'loading', url: '' }, page: Reading | (() => Promise<Reading>) = { status: 200 }) {
  const updated = new Set<(id: number, change: chrome.tabs.OnUpdatedInfo, tab: chrome.tabs.Tab) => void>();
  const removed = new Set<(id: number) => void>();
  const reads: number[] = [];
  const api: Api = {
    getTab: async () => start,
    onUpdated: { addListener: (l) => updated.add(l), removeListener: (l) => updated.delete(l) },
    onRemoved: { addListener: (l) => removed.add(l), removeListener: (l) => removed.delete(l) },
    readPage: async (tabId) => {
      reads.push(tabId);
      return typeof page === 'function' ? page() : page;
    },
    ownOrigin: OWN,
  };
  const show = (tab: Partial<chrome.tabs.Tab>, id = TAB) => updated.forEach((l) => l(id, {}, { index: 0, windowId: 1, highlighted: false, active: true, pinned: false, incognito: false, ...tab } as chrome.tabs.Tab));
  const close = (id = TAB) => removed.forEach((l) => l(id));
  return { api, show, close, reads, listeners: () => updated.size + removed.size };
}

describe('watchLanding', () => {
  it('waits past the hand-off page and judges the partner page once it has loaded', async () => {
    const tab = fakeTab(undefined, { status: 200 });
    const landing = watchLanding(TAB, undefined, 5000, tab.api);
    tab.show({ status: 'complete', url: `${OWN}/src/launch/post.html?id=1` });
    tab.show({ status: 'loading', url: 'https://bp.example/launch/v1' });
    tab.show({ status: 'loading', url: 'https://bp.example/app/launch?x=1' }, TAB + 1);
    expect(tab.reads).toEqual([]);
    tab.show({ status: 'complete', url: 'https://bp.example/app/launch?x=1' });
    expect(await landing).toEqual({ kind: 'landed' });
    expect(tab.reads).toEqual([TAB]);
    expect(tab.listeners()).toBe(0);
  });

  it('a form POST whose hand-off page\'s address the browser hides (Chromium 150): that page is passed, the partner page judged', async () => {
    const tab = fakeTab(undefined, { status: 200 });
    const landing = watchLanding(TAB, undefined, 5000, tab.api, true);
    tab.show({ status: 'loading' });
    tab.show({ status: 'complete' });
    expect(tab.reads).toEqual([]);
    tab.show({ status: 'loading', url: 'https://bp.example/app/launch?x=1' });
    tab.show({ status: 'complete', url: 'https://bp.example/app/launch?x=1' });
    expect(await landing).toEqual({ kind: 'landed' });
    expect(tab.reads).toEqual([TAB]);
  });

  it('a form POST to a partner out of sight: the hand-off page passed, the partner\'s hidden page is unknown', async () => {
    const tab = fakeTab();
    const landing = watchLanding(TAB, undefined, 5000, tab.api, true);
    tab.show({ status: 'complete' });
    tab.show({ status: 'loading' });
    tab.show({ status: 'complete' });
    expect(await landing).toEqual({ kind: 'unknown' });
    expect(tab.reads).toEqual([]);
  });

  it('a form POST into a partner tab (a relaunch): the old page still shown while loading, the hidden hand-off page, then the partner page', async () => {
    const tab = fakeTab({ status: 'loading', url: 'https://bp.example/app/launch?patient=old' }, { status: 200 });
    const landing = watchLanding(TAB, undefined, 5000, tab.api, true);
    tab.show({ status: 'loading', url: 'https://bp.example/app/launch?patient=old' });
    tab.show({ status: 'complete' });
    expect(tab.reads).toEqual([]);
    tab.show({ status: 'loading', url: 'https://bp.example/app/launch?patient=new' });
    tab.show({ status: 'complete', url: 'https://bp.example/app/launch?patient=new' });
    expect(await landing).toEqual({ kind: 'landed' });
    expect(tab.reads).toEqual([TAB]);
  });

  it('a form POST whose hand-off page the browser shows is passed once, as before', async () => {
    const tab = fakeTab(undefined, { status: 401 });
    const landing = watchLanding(TAB, undefined, 5000, tab.api, true);
    tab.show({ status: 'complete', url: `${OWN}/src/launch/post.html?id=1` });
    tab.show({ status: 'complete', url: 'https://bp.example/launch/v1' });
    expect(await landing).toEqual({ kind: 'error-page', status: 401 });
  });

  it('reports the partner\'s refusal page by its status', async () => {
    const tab = fakeTab(undefined, { status: 401 });
    const landing = watchLanding(TAB, undefined, 5000, tab.api);
    tab.show({ status: 'complete', url: 'https://bp.example/launch/v1' });
    expect(await landing).toEqual({ kind: 'error-page', status: 401 });
  });

  it('reports the browser\'s "site can\'t be reached" page', async () => {
    const tab = fakeTab(undefined, { errorPage: true });
    const landing = watchLanding(TAB, undefined, 5000, tab.api);
    tab.show({ status: 'complete', url: 'https://bp.example/launch/v1' });
    expect(await landing).toEqual({ kind: 'unreachable' });
  });

  it('knows a connector\'s credential-refused page by its address, without reading it', async () => {
    const tab = fakeTab();
    const landing = watchLanding(TAB, (url) => url.endsWith('/login'), 5000, tab.api);
    tab.show({ status: 'loading', url: 'https://pkb.example/login' });
    expect(await landing).toEqual({ kind: 'refused' });
    expect(tab.reads).toEqual([]);
  });

  it('says the outcome is not visible when the loaded page\'s address is hidden from the extension', async () => {
    const tab = fakeTab();
    const landing = watchLanding(TAB, undefined, 5000, tab.api);
    tab.show({ status: 'complete' });
    expect(await landing).toEqual({ kind: 'unknown' });
  });

  it('judges a tab that had already landed before the watch began', async () => {
    const tab = fakeTab({ status: 'complete', url: 'https://parchment.example/patients/1' }, { status: 200 });
    expect(await watchLanding(TAB, undefined, 5000, tab.api)).toEqual({ kind: 'landed' });
  });

  it('does not judge the page a relaunched tab is leaving (the browser names where it is going)', async () => {
    const tab = fakeTab({ status: 'complete', url: 'https://bp.example/app', pendingUrl: 'https://bp.example/launch/v1' }, { status: 200 });
    const landing = watchLanding(TAB, undefined, 5000, tab.api);
    await Promise.resolve();
    expect(tab.reads).toEqual([]);
    tab.show({ status: 'complete', url: 'https://bp.example/app/launch' });
    expect(await landing).toEqual({ kind: 'landed' });
  });

  it('reads the page once, whatever else the tab reports meanwhile', async () => {
    let answer!: (reading: Reading) => void;
    const tab = fakeTab(undefined, () => new Promise<Reading>((resolve) => (answer = resolve)));
    const landing = watchLanding(TAB, undefined, 5000, tab.api);
    tab.show({ status: 'complete', url: 'https://bp.example/app' });
    tab.show({ status: 'complete', url: 'https://bp.example/app' });
    answer({ status: 503 });
    expect(await landing).toEqual({ kind: 'error-page', status: 503 });
    expect(tab.reads).toHaveLength(1);
  });

  it('says closed when the tab closes first, and unknown when nothing happens in time', async () => {
    const closing = fakeTab();
    const closed = watchLanding(TAB, undefined, 5000, closing.api);
    closing.close(TAB + 1);
    closing.close();
    expect(await closed).toEqual({ kind: 'closed' });

    vi.useFakeTimers();
    try {
      const quiet = fakeTab();
      const landing = watchLanding(TAB, undefined, 5000, quiet.api);
      await vi.advanceTimersByTimeAsync(5000);
      expect(await landing).toEqual({ kind: 'unknown' });
      expect(quiet.listeners()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('says closed when the tab is gone before the watch starts', async () => {
    const tab = fakeTab();
    tab.api.getTab = async () => {
      throw new Error('No tab with id: 7.');
    };
    expect(await watchLanding(TAB, undefined, 5000, tab.api)).toEqual({ kind: 'closed' });
  });
});
