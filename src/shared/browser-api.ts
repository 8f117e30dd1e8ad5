/**
 * The one browser-API surface: Firefox's own `browser` namespace where it exists, otherwise Chromium's `chrome`.
 * In Manifest V3 both answer with promises for every call this extension makes, so no polyfill is bundled (it
 * cost about 10 KB in each bundle that imported it). Why this and not the polyfill: docs/architecture.md.
 *
 * Message listeners are the one place the two differ (a listener returning a promise answers in Firefox, not in every
 * Chromium this extension supports): listen through `onMessage` in ./runtime, which answers through sendResponse in both.
 */
export function browserApi(): typeof chrome {
  const scope = globalThis as { browser?: typeof chrome; chrome?: typeof chrome };
  return (scope.browser ?? scope.chrome) as typeof chrome;
}

/** Read once at module load: every extension context has its namespace before its first module runs. */
export const browser: typeof chrome = browserApi();
