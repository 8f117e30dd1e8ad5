/**
 * The one browser-API surface: Firefox's own `browser` namespace where it exists, otherwise Chromium's `chrome`.
 * In Manifest V3 both answer with promises for every call this extension makes, so no polyfill is bundled (it
 * cost about 10 KB in each bundle that imported it). Why this and not the polyfill: docs/architecture.md.
 *
 * Message listeners are the one place the two differ (a listener returning a promise answers in Firefox, not in
 * every Chromium this extension supports): listen through `onMessage` in ./runtime, which answers through
 * sendResponse in both.
 */
export function browserApi(): typeof chrome {
  const scope = globalThis as { browser?: unknown; chrome?: typeof chrome };
  return (isExtensionNamespace(scope.browser) ? scope.browser : scope.chrome) as typeof chrome;
}

/**
 * In a content script `browser` can be the page's own element: `<form id="browser">` is a named property of the
 * window in every world, and `<input name="runtime" id="x">` inside it even has a `runtime.id`. The browser's
 * namespace is a plain object; an element never is.
 */
function isExtensionNamespace(candidate: unknown): candidate is typeof chrome {
  if (typeof candidate !== 'object' || candidate === null || Object.getPrototypeOf(candidate) !== Object.prototype) return false;
  const runtime = (candidate as { runtime?: { id?: unknown } }).runtime;
  return typeof runtime?.id === 'string';
}

/** Read once at module load: every extension context has its namespace before its first module runs. */
export const browser: typeof chrome = browserApi();
