import { watchedRoots } from './generic/watched-roots';

/**
 * Decides when the page may show another patient, cheaply. With a banner on the page, only the banner is
 * observed (its text and children) plus the direct children of its nearest ancestors (to see it replaced),
 * so a busy EHR's clock, worklist or ticker costs nothing. Without one, the whole document is observed, with a
 * longer batching delay, until a banner appears. URL changes (history API, back/forward, bfcache restores)
 * and frame loads always count.
 */

/** Banner edits are batched this long: one patient switch is usually several DOM operations. */
export const BANNER_BATCH_MS = 20;
/** Page-wide changes while no banner is known (a late banner, a list, an SPA route change). */
export const PAGE_BATCH_MS = 100;
/** How many ancestors of the banner are watched for the banner being replaced. */
const ANCESTOR_LEVELS = 8;
/** A banner replaced higher up than that is noticed by this check (the click always re-reads anyway). */
const CONNECTED_CHECK_MS = 1_000;

export interface PageWatch {
  /** Observe these banners from now on (none: observe the whole page), and the attributes fields are read from. */
  follow(banners: readonly Element[], attributes?: readonly string[]): void;
  stop(): void;
}

export function createPageWatch(win: Window, onChange: () => void): PageWatch {
  const doc = win.document;
  let timer = 0;
  let dueAt = Infinity;
  let followed: readonly Element[] = [];

  function schedule(delay: number): void {
    const at = performance.now() + delay;
    // A sooner deadline wins; a later one never postpones a pending scan.
    if (timer && at >= dueAt) return;
    if (timer) win.clearTimeout(timer);
    dueAt = at;
    timer = win.setTimeout(() => {
      timer = 0;
      dueAt = Infinity;
      onChange();
    }, delay);
  }

  const bannerObserver = new MutationObserver(() => schedule(BANNER_BATCH_MS));
  const structureObserver = new MutationObserver(() => schedule(BANNER_BATCH_MS));
  const pageObserver = new MutationObserver(() => schedule(PAGE_BATCH_MS));

  const soon = () => schedule(0);
  win.addEventListener('popstate', soon);
  win.addEventListener('hashchange', soon);
  win.addEventListener('pageshow', soon);
  // Frame (re)loads: a banner inside a same-origin frame lives in a new document after one.
  doc.addEventListener('load', (event) => event.target instanceof HTMLIFrameElement && soon(), true);
  // pushState/replaceState from the page's own scripts: the Navigation API reports them to every world.
  const navigation = (win as Window & { navigation?: EventTarget }).navigation;
  navigation?.addEventListener('currententrychange', soon);
  const connectedCheck = win.setInterval(() => {
    if (followed.some((banner) => !banner.isConnected)) soon();
  }, CONNECTED_CHECK_MS);

  function follow(banners: readonly Element[], attributes: readonly string[] = []): void {
    bannerObserver.disconnect();
    structureObserver.disconnect();
    pageObserver.disconnect();
    followed = banners;
    if (banners.length === 0) {
      pageObserver.observe(doc.documentElement, { childList: true, subtree: true, characterData: true });
      for (const root of watchedRoots(doc)) pageObserver.observe(root, { childList: true, subtree: true, characterData: true });
      return;
    }
    for (const banner of banners) {
      bannerObserver.observe(banner, { childList: true, subtree: true, characterData: true, ...(attributes.length ? { attributeFilter: [...attributes] } : {}) });
      let ancestor = banner.parentNode;
      for (let level = 0; ancestor && level < ANCESTOR_LEVELS; level++, ancestor = ancestor.parentNode) {
        structureObserver.observe(ancestor, { childList: true });
      }
    }
  }

  return {
    follow,
    stop() {
      bannerObserver.disconnect();
      structureObserver.disconnect();
      pageObserver.disconnect();
      win.clearInterval(connectedCheck);
      if (timer) win.clearTimeout(timer);
      win.removeEventListener('popstate', soon);
      win.removeEventListener('hashchange', soon);
      win.removeEventListener('pageshow', soon);
      navigation?.removeEventListener('currententrychange', soon);
    },
  };
}
