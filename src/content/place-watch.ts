/**
 * How long each of our injected elements has been where it is now. A page can move the bar under a pointer
 * that was aimed at something else (scroll or shift it between the two clicks of a double-click), so a click
 * launches only when the bar has been still, where the clinician could read it, for a while before.
 *
 * One timer samples every watched element's box while the page is visible; a move found at the click itself
 * counts as a move at that moment, so sampling late only ever refuses more. Scrolls and resizes sample at once.
 */

/** Often enough that a move shortly before a click is seen; a move between samples is seen at the click. */
export const SAMPLE_MS = 200;

export interface PlaceWatch {
  watch(element: Element): void;
  unwatch(element: Element): void;
  /** Milliseconds the element has been where it is now (sampled now), 0 if it is not watched. */
  stillFor(element: Element): number;
}

export interface PlaceWatchClock {
  now(): number;
  every(ms: number, tick: () => void): () => void;
}

const realClock: PlaceWatchClock = {
  now: () => performance.now(),
  every(ms, tick) {
    // Read boxes at the start of a frame, when the browser is about to lay the page out anyway: a read at any
    // other moment on a page that keeps changing forces an extra layout, which is the page's time, not ours.
    const timer = setInterval(() => requestAnimationFrame(() => tick()), ms);
    return () => clearInterval(timer);
  },
};

/**
 * Where an element is drawn, to whole pixels (sub-pixel jitter is not a move), the viewport's size, and whether
 * the page shows it at its middle (something laid over it, then taken away just before a click, is a change).
 */
export function placeKey(element: Element): string {
  const box = element.getBoundingClientRect();
  const doc = element.ownerDocument;
  const win = doc.defaultView;
  const place = [box.left, box.top, box.width, box.height].map((n) => Math.round(n)).join(',');
  if (!win) return place;
  const root = element.getRootNode();
  const host = root instanceof ShadowRoot ? root.host : element;
  const shown = box.width > 0 && box.height > 0 && doc.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2) === host;
  return `${place}|${win.innerWidth}x${win.innerHeight}|${shown ? 'shown' : 'not shown'}`;
}

export function createPlaceWatch(clock: PlaceWatchClock = realClock, keyOf: (element: Element) => string = placeKey): PlaceWatch {
  const places = new Map<Element, { key: string; since: number }>();
  let stop: (() => void) | undefined;

  function sample(element: Element): void {
    const place = places.get(element);
    if (!place) return;
    const key = element.isConnected ? keyOf(element) : 'detached';
    if (key !== place.key) places.set(element, { key, since: clock.now() });
  }
  function sampleAll(): void {
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
    for (const element of places.keys()) sample(element);
  }
  function follow(): void {
    if (places.size > 0 && !stop) {
      stop = clock.every(SAMPLE_MS, sampleAll);
      if (typeof window !== 'undefined') {
        window.addEventListener('scroll', sampleAll, { capture: true, passive: true });
        window.addEventListener('resize', sampleAll, { passive: true });
      }
    } else if (places.size === 0 && stop) {
      stop();
      stop = undefined;
      if (typeof window !== 'undefined') {
        window.removeEventListener('scroll', sampleAll, { capture: true });
        window.removeEventListener('resize', sampleAll);
      }
    }
  }

  return {
    watch(element) {
      if (!places.has(element)) places.set(element, { key: element.isConnected ? keyOf(element) : 'detached', since: clock.now() });
      follow();
    },
    unwatch(element) {
      places.delete(element);
      follow();
    },
    stillFor(element) {
      if (!places.has(element)) return 0;
      sample(element);
      return clock.now() - places.get(element)!.since;
    },
  };
}
