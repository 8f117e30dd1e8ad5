/**
 * Keeps the strip on the page while it shows: put straight back when the page takes its host out, and moved
 * last (on top of the page's own fixed elements) when the browser says it has not been visible for a while.
 * Each is reported, so the background can record it and decide about the tab.
 */

/** How many removals in a second are put back at once; beyond that, later (a page fighting back must not hang). */
const QUICK_PUTBACKS_PER_SECOND = 10;
const SLOW_PUTBACK_MS = 250;

export interface Watch {
  start(): void;
  stop(): void;
}

/**
 * Keeps `host` a child of the document element. `onRemoved` runs after each put-back; `onDocumentChanged`
 * after any change of the document element's children (the page may have replaced its <head>).
 */
export function keepAttached(doc: Document, host: HTMLElement, onRemoved: () => void, onDocumentChanged: () => void, now: () => number = Date.now): Watch {
  let observer: MutationObserver | null = null;
  let recent: number[] = [];
  let later: ReturnType<typeof setTimeout> | undefined;

  function attach(): void {
    if (host.parentNode !== doc.documentElement) doc.documentElement.append(host);
  }

  function putBack(): void {
    const at = now();
    recent = recent.filter((time) => at - time < 1000);
    recent.push(at);
    if (recent.length <= QUICK_PUTBACKS_PER_SECOND) attach();
    else later ??= setTimeout(() => ((later = undefined), observer && attach()), SLOW_PUTBACK_MS);
    onRemoved();
  }

  function check(): void {
    if (!observer) return;
    // The document element itself may have been replaced: follow the new one.
    observer.observe(doc.documentElement, { childList: true });
    if (host.parentNode !== doc.documentElement) putBack();
    onDocumentChanged();
  }

  return {
    start() {
      if (observer) return;
      attach();
      observer = new MutationObserver(check);
      observer.observe(doc, { childList: true });
      observer.observe(doc.documentElement, { childList: true });
    },
    stop() {
      observer?.disconnect();
      observer = null;
      clearTimeout(later);
      later = undefined;
      recent = [];
      host.remove();
    },
  };
}

type V2Entry = IntersectionObserverEntry & { isVisible?: boolean };

/**
 * The browser's own verdict on whether `target` can be seen (Intersection Observer v2: nothing drawn over it,
 * not faded, not transformed), as the launch bar's click guard uses it. `onHidden` runs once per spell of
 * "not visible" that lasts `hiddenMs`. A browser without v2 gives no verdict, and nothing is reported.
 */
export function watchVisibility(target: Element, onHidden: () => void, hiddenMs = 1000): Watch {
  const Observer = (globalThis as { IntersectionObserver?: typeof IntersectionObserver }).IntersectionObserver;
  let observer: IntersectionObserver | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function settle(visible: boolean): void {
    if (visible) {
      clearTimeout(timer);
      timer = undefined;
    } else {
      timer ??= setTimeout(onHidden, hiddenMs);
    }
  }

  return {
    start() {
      if (observer || !Observer) return;
      observer = new Observer(
        (entries) => {
          const last = entries[entries.length - 1] as V2Entry | undefined;
          if (last && typeof last.isVisible === 'boolean') settle(last.isVisible);
        },
        { threshold: [0], trackVisibility: true, delay: 100 } as IntersectionObserverInit,
      );
      observer.observe(target);
    },
    stop() {
      observer?.disconnect();
      observer = null;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
