/**
 * Keeps the strip on the page while it shows: put straight back when the page takes its host out, and noticed
 * when the browser says it has not been visible for a while (then raised again, see top-layer). Each is
 * reported, so the background can record it and decide about the tab.
 */

import { browserGivesVisibility, paintedOver, samplePoints } from '../see-through';

/** How many removals in a second are put back at once; beyond that, later (a page fighting back must not hang). */
const QUICK_PUTBACKS_PER_SECOND = 10;
const SLOW_PUTBACK_MS = 250;

export interface Watch {
  start(): void;
  stop(): void;
}

export interface AttachOptions {
  /** Runs after each put-back. */
  onRemoved(): void;
  /** Runs after any change of the document element's children (the page may have replaced its <head>). */
  onDocumentChanged(): void;
  /** Where the host belongs (see top-layer); the document element unless told. */
  home?: () => Element;
  now?: () => number;
}

/**
 * Keeps `host` a child of its home. Only a host found anywhere else counts as removed: the page taking its own
 * dialog away with the host inside, or a home that moved on, is no removal.
 */
export function keepAttached(doc: Document, host: HTMLElement, options: AttachOptions): Watch {
  const { onRemoved, onDocumentChanged, home = () => doc.documentElement, now = Date.now } = options;
  let observer: MutationObserver | null = null;
  let recent: number[] = [];
  let later: ReturnType<typeof setTimeout> | undefined;
  /** The page's element the host was last seen in, when it was not the document element. */
  let lodging: Node | null = null;

  function attach(): void {
    const where = home();
    if (host.parentNode !== where) where.append(host);
  }

  function putBack(report: boolean): void {
    const at = now();
    recent = recent.filter((time) => at - time < 1000);
    recent.push(at);
    if (recent.length <= QUICK_PUTBACKS_PER_SECOND) attach();
    else later ??= setTimeout(() => ((later = undefined), observer && attach()), SLOW_PUTBACK_MS);
    if (report) onRemoved();
  }

  function follow(where: Element): void {
    if (!observer) return;
    lodging = where === doc.documentElement ? null : where;
    // The document element itself may have been replaced: follow the new one. A lodging may be taken out of
    // the page anywhere: the whole document is watched, only while the host is in one.
    observer.observe(doc, { childList: true, subtree: lodging !== null });
    observer.observe(doc.documentElement, { childList: true });
  }

  function check(): void {
    if (!observer) return;
    const where = home();
    const parent = host.parentNode;
    if (parent !== where) {
      // Still where we put it, only its home moved on (a dialog opened or closed before the top layer saw it).
      if (parent !== null && (parent === lodging || parent === doc.documentElement)) attach();
      // Taken out of the page's own dialog along with its content (an app redrawing its dialog): put back, but
      // not counted as the page fighting the strip, which could close a tab for an ordinary re-render.
      else putBack(!(parent === null && lodging !== null));
    }
    follow(host.parentNode === where ? where : doc.documentElement);
    onDocumentChanged();
  }

  return {
    start() {
      if (observer) return;
      attach();
      observer = new MutationObserver(check);
      follow(home());
    },
    stop() {
      observer?.disconnect();
      observer = null;
      clearTimeout(later);
      later = undefined;
      recent = [];
      lodging = null;
      host.remove();
    },
  };
}

type V2Entry = IntersectionObserverEntry & { isVisible?: boolean };

/** How often the strip looks for covers where the browser gives no verdict: each look restyles the page twice. */
const LOOK_MS = 500;

/**
 * The browser's own verdict on whether `target` can be seen (Intersection Observer v2: nothing drawn over it,
 * not faded, not transformed), as the launch bar's click guard uses it. `onHidden` runs once per spell of
 * "not visible" that lasts `hiddenMs`. A browser without v2 (Firefox) gets the strip's own look instead: what
 * the page paints over it, every LOOK_MS (see-through.ts).
 */
export function watchVisibility(target: Element, onHidden: () => void, hiddenMs = 1000): Watch {
  const Observer = (globalThis as { IntersectionObserver?: typeof IntersectionObserver }).IntersectionObserver;
  let observer: IntersectionObserver | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let looking: ReturnType<typeof setInterval> | undefined;
  const root = target.getRootNode();
  const looksItself = !browserGivesVisibility() && root instanceof ShadowRoot;

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
      if (looksItself && root instanceof ShadowRoot) {
        const look = () => {
          const box = target.getBoundingClientRect();
          if (box.width > 0 && box.height > 0) settle(paintedOver(root.host, samplePoints(box)) === null);
        };
        looking ??= setInterval(look, LOOK_MS);
        return;
      }
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
      clearInterval(looking);
      looking = undefined;
      observer?.disconnect();
      observer = null;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
