import browser, { type Tabs } from 'webextension-polyfill';

export type Landing = 'landed' | 'refused' | 'closed' | 'unknown';

/**
 * Follows a launch tab until it leaves the partner's sign-in address, and says whether the partner accepted
 * the one-time credential (landed) or showed its refusal page (refused). The tab's address is visible to the
 * extension only on partner origins it has host access to, which are exactly the ones it launches to.
 */
export function watchLanding(tabId: number, signInUrl: string, refused: (url: string) => boolean, timeoutMs: number): Promise<Landing> {
  const signIn = new URL(signInUrl);
  return new Promise((resolve) => {
    let done = false;
    const finish = (landing: Landing) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      browser.tabs.onUpdated.removeListener(onUpdated);
      browser.tabs.onRemoved.removeListener(onRemoved);
      resolve(landing);
    };
    const judge = (url: string | undefined) => {
      if (!url) return;
      let at: URL;
      try {
        at = new URL(url);
      } catch {
        return;
      }
      // Still on the sign-in address (or the blank page before it): not landed yet.
      if (at.origin === signIn.origin && at.pathname === signIn.pathname) return;
      if (at.protocol === 'about:') return;
      finish(refused(url) ? 'refused' : 'landed');
    };
    const onUpdated = (id: number, change: Tabs.OnUpdatedChangeInfoType, tab: Tabs.Tab) => {
      if (id === tabId) judge(change.url ?? (change.status === 'complete' ? tab.url : undefined));
    };
    const onRemoved = (id: number) => {
      if (id === tabId) finish('closed');
    };
    const timer = setTimeout(() => finish('unknown'), timeoutMs);
    browser.tabs.onUpdated.addListener(onUpdated);
    browser.tabs.onRemoved.addListener(onRemoved);
    // The tab may have landed before the listeners were attached.
    void browser.tabs.get(tabId).then(
      (tab) => judge(tab.url),
      () => finish('closed'),
    );
  });
}
