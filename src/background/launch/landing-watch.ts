import { browser } from '../../shared/browser-api';
import { isErrorPageFailure, judgePage, judgeSighting, type Landing, type PageReading } from './landing-judgement';

export type { Landing } from './landing-judgement';

type TabListener<A extends unknown[]> = { addListener(listener: (...args: A) => void): void; removeListener(listener: (...args: A) => void): void };

/** What the watch needs from the browser; tests pass their own. */
export interface LandingWatchApi {
  getTab(tabId: number): Promise<Pick<chrome.tabs.Tab, 'url' | 'status' | 'pendingUrl'>>;
  onUpdated: TabListener<[number, chrome.tabs.OnUpdatedInfo, chrome.tabs.Tab]>;
  onRemoved: TabListener<[number]>;
  readPage(tabId: number): Promise<PageReading>;
  ownOrigin: string;
}

/** Runs in the landed page's isolated world and answers one number: its document's HTTP status (0 if unknown). */
function documentStatus(): number {
  const entry = performance.getEntriesByType('navigation')[0] as (PerformanceEntry & { responseStatus?: number }) | undefined;
  return entry?.responseStatus ?? 0;
}

/** Reads the loaded page's status; host access to the partner's origin is what allows it. Nothing is sent in. */
async function readPage(tabId: number): Promise<PageReading> {
  try {
    const [result] = await browser.scripting.executeScript({ target: { tabId, frameIds: [0] }, func: documentStatus });
    return typeof result?.result === 'number' ? { status: result.result } : { unreadable: true };
  } catch (error) {
    return isErrorPageFailure(error) ? { errorPage: true } : { unreadable: true };
  }
}

function browserApi(): LandingWatchApi {
  return {
    getTab: (tabId) => browser.tabs.get(tabId),
    onUpdated: browser.tabs.onUpdated,
    onRemoved: browser.tabs.onRemoved,
    readPage,
    ownOrigin: browser.runtime.getURL('/').replace(/\/$/, ''),
  };
}

/**
 * Follows a launch tab until it has loaded a page past the extension's own hand-off page, and says how it landed
 * (landing-judgement.ts). `refused` is the connector's test for its credential-refused page, if any.
 */
export function watchLanding(
  tabId: number,
  refused: ((url: string) => boolean) | undefined,
  timeoutMs: number,
  api: LandingWatchApi = browserApi(),
  /** The tab starts on the extension's own hand-off page (a form POST), then goes to the partner. */
  handoffFirst = false,
): Promise<Landing> {
  const rules = { ownOrigin: api.ownOrigin, ...(refused ? { refused } : {}) };
  const isOwn = (url: string) => url.startsWith(`${api.ownOrigin}/`) || url === api.ownOrigin;
  return new Promise((resolve) => {
    let done = false;
    let reading = false;
    // Some Chromium versions (150, not 156) leave the extension's own page's address out of the tab's reports, so the
    // hand-off page, once loaded, looks like a page out of sight. The first loaded report of a hidden or own address
    // is that page; what the tab loads after it is the partner's.
    let handoffPending = handoffFirst;
    const finish = (landing: Landing) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      api.onUpdated.removeListener(onUpdated);
      api.onRemoved.removeListener(onRemoved);
      resolve(landing);
    };
    const see = (url: string | undefined, complete: boolean) => {
      if (done || reading) return;
      if (handoffPending) {
        // Until a page has loaded, what is shown may still be the page the tab had (a relaunch into a partner tab).
        if (!complete) return;
        handoffPending = false;
        if (!url || isOwn(url)) return;
      }
      switch (judgeSighting(url, complete, rules)) {
        case 'wait':
          return;
        case 'refused':
          return finish({ kind: 'refused' });
        case 'unreachable':
          return finish({ kind: 'unreachable' });
        case 'hidden':
          return finish({ kind: 'unknown' });
        case 'read-page':
          reading = true;
          void api.readPage(tabId).then(
            (reading) => finish(judgePage(reading)),
            () => finish({ kind: 'unknown' }),
          );
      }
    };
    const onUpdated = (id: number, _change: chrome.tabs.OnUpdatedInfo, tab: chrome.tabs.Tab) => {
      if (id === tabId) see(tab.url, tab.status === 'complete');
    };
    const onRemoved = (id: number) => {
      if (id === tabId) finish({ kind: 'closed' });
    };
    const timer = setTimeout(() => finish({ kind: 'unknown' }), timeoutMs);
    api.onUpdated.addListener(onUpdated);
    api.onRemoved.addListener(onRemoved);
    // The tab may have landed before the listeners were attached; one still on its way says so by pendingUrl.
    void api.getTab(tabId).then(
      (tab) => {
        if (!tab.pendingUrl) see(tab.url, tab.status === 'complete');
      },
      () => finish({ kind: 'closed' }),
    );
  });
}
