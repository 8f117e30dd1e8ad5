/**
 * Checks made at the moment of a launch click, against clickjacking and spoofing: the bar must be what the
 * clinician saw and clicked. The page can restyle or cover the bar's host element (it is in the page's DOM),
 * so each check looks at the page as it is now.
 */

import { appearanceRefusal } from './bar-appearance';
import { createPlaceWatch } from './place-watch';
import { trackPointer } from './pointer-trust';
import { browserGivesVisibility, trackSeeThrough } from './see-through';

import type { ClickRefusal } from '../shared/protocol';

export type { ClickRefusal };

/** How long the bar must have been still where it is before a mouse click on it launches. */
export const STILL_MS = 500;

/** Below this opacity a bar, or the page around it, could be made invisible and clicked by accident. */
export const MIN_OPACITY = 0.6;

function effectiveOpacity(element: Element | null, win: Window): number {
  let opacity = 1;
  for (let el = element; el; el = el.parentElement) {
    const style = win.getComputedStyle(el);
    opacity *= Number.parseFloat(style.opacity || '1');
    if (style.visibility === 'hidden' || style.display === 'none') return 0;
    if (/opacity\(|blur\(/.test(style.filter)) opacity *= 0.5;
  }
  return opacity;
}

function intersects(a: DOMRect, b: DOMRect): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

/** Open popovers and modal dialogs are drawn in the top layer, above everything else, including the bar. */
function foreignTopLayer(doc: Document, host: Element): Element[] {
  const open: Element[] = [];
  for (const selector of [':popover-open', 'dialog[open]', ':modal', ':fullscreen']) {
    try {
      for (const el of doc.querySelectorAll(selector)) if (!host.contains(el) && !el.contains(host)) open.push(el);
    } catch {
      // A browser without this selector has no such top-layer element either.
    }
  }
  return open;
}

/**
 * The browser's own verdict on whether the bar is really visible (Intersection Observer v2: not covered by
 * anything, even by content that lets clicks through, not faded, not transformed away). Computing it costs the
 * page on every frame, so it runs only while the pointer or keyboard focus is on the bar; the first verdict
 * arrives about 100 ms after that.
 */
export interface VisibilityTracker {
  start(): void;
  stop(): void;
  /**
   * The verdict, waiting up to `timeoutMs` for the first one; undefined if the browser gives none. False when
   * the browser said "not visible" at any time since tracking started (the pointer came in): an overlay taken
   * away just before the click still hid the bar while the clinician aimed.
   */
  verdict(timeoutMs: number): Promise<boolean | undefined>;
}

export function trackVisibility(target: Element): VisibilityTracker {
  // Without the browser's verdict the bar looks for covers itself (see-through.ts), from its host in the page.
  const root = target.getRootNode();
  if (!browserGivesVisibility() && root instanceof ShadowRoot) return trackSeeThrough(target, root.host);
  type V2Entry = IntersectionObserverEntry & { isVisible?: boolean };
  const Observer = (globalThis as { IntersectionObserver?: typeof IntersectionObserver }).IntersectionObserver;
  let visible: boolean | undefined;
  let hiddenSinceStart = false;
  let observer: IntersectionObserver | undefined;
  let waiting: (() => void)[] = [];
  const settle = () => {
    for (const resolve of waiting) resolve();
    waiting = [];
  };
  return {
    start() {
      if (observer || !Observer) return;
      observer = new Observer(
        (entries) => {
          const last = entries[entries.length - 1] as V2Entry | undefined;
          for (const entry of entries as V2Entry[]) if (entry.isVisible === false) hiddenSinceStart = true;
          if (last && typeof last.isVisible === 'boolean') visible = last.isVisible;
          settle();
        },
        { threshold: [0], trackVisibility: true, delay: 100 } as IntersectionObserverInit,
      );
      observer.observe(target);
    },
    stop() {
      observer?.disconnect();
      observer = undefined;
      visible = undefined;
      hiddenSinceStart = false;
      settle();
    },
    async verdict(timeoutMs) {
      if (!observer) this.start();
      if (visible === undefined && observer) {
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          setTimeout(resolve, timeoutMs);
        });
      }
      return hiddenSinceStart ? false : visible;
    },
  };
}

/**
 * A visibility tracker that runs only while the pointer or keyboard focus is on `area` (the bar, or a row's
 * buttons): the verdict is needed only when someone is about to click there.
 */
export function trackVisibilityWhileInUse(area: Element): VisibilityTracker {
  const visibility = trackVisibility(area);
  let pointerIn = false;
  let focusIn = false;
  const follow = () => (pointerIn || focusIn ? visibility.start() : visibility.stop());
  area.addEventListener('pointerenter', () => ((pointerIn = true), follow()));
  area.addEventListener('pointerleave', () => ((pointerIn = false), follow()));
  area.addEventListener('focusin', () => ((focusIn = true), follow()));
  area.addEventListener('focusout', () => ((focusIn = false), follow()));
  return visibility;
}

/** Where a click happened; a keyboard activation has no pointer position, so the middle of the button. */
export function clickPoint(event: MouseEvent, button: Element): Pick<MouseEvent, 'clientX' | 'clientY'> {
  if (event.detail !== 0) return event;
  const box = button.getBoundingClientRect();
  return { clientX: box.left + box.width / 2, clientY: box.top + box.height / 2 };
}

/** Why a click on the bar must not launch, or null when it may. */
export function clickRefusal(host: Element, bar: Element, event: Pick<MouseEvent, 'clientX' | 'clientY'>): ClickRefusal | null {
  const doc = host.ownerDocument;
  const win = doc.defaultView;
  if (!win) return 'covered';
  const html = doc.documentElement;
  const body = doc.body;
  if (Number.parseFloat(win.getComputedStyle(html).opacity || '1') < MIN_OPACITY) return 'faded';
  if (body && Number.parseFloat(win.getComputedStyle(body).opacity || '1') < MIN_OPACITY) return 'faded';
  if (effectiveOpacity(host, win) < MIN_OPACITY) return 'faded';
  const barBox = bar.getBoundingClientRect();
  if (foreignTopLayer(doc, host).some((el) => intersects(el.getBoundingClientRect(), barBox))) return 'top-layer';
  // What is really under the pointer: from the page, our closed shadow content is seen as the host element.
  if (doc.elementFromPoint(event.clientX, event.clientY) !== host) return 'covered';
  return null;
}

/** Every injected area's place, sampled by one timer for the whole page. */
const places = createPlaceWatch();

export interface ClickGuard {
  /**
   * Why this click must not launch, or null when it may. `parts` are what the clinician must be able to read
   * for the click to mean what they think (the line naming the patient, the button itself).
   */
  refusal(event: MouseEvent, button: HTMLElement, parts: readonly HTMLElement[]): ClickRefusal | null;
  /** The browser's visibility verdict, worked out while the pointer or focus is on the area. */
  visibility: VisibilityTracker;
  dispose(): void;
}

/**
 * The checks for one injected area (the bar, or one row's buttons) inside `host`. A mouse click must be a
 * single click, by a pointer that came in with an honest cursor, on an area that has been still for
 * `STILL_MS`; every click, keyboard too, needs the area shown as we drew it and not covered or faded.
 */
export function guardClicks(host: HTMLElement, area: HTMLElement): ClickGuard {
  const visibility = trackVisibilityWhileInUse(area);
  const pointer = trackPointer(host);
  places.watch(area);
  return {
    visibility,
    refusal(event, button, parts) {
      // A keyboard activation has no pointer to mislead (detail 0); a mouse click must be aimed and single.
      if (event.detail >= 2) return 'double-click';
      if (event.detail === 1) {
        if (!pointer.inside() || places.stillFor(area) < STILL_MS) return 'unsettled';
        if (pointer.untrusted()) return 'pointer';
      }
      return clickRefusal(host, area, clickPoint(event, button)) ?? appearanceRefusal(host, parts);
    },
    dispose() {
      places.unwatch(area);
      pointer.dispose();
      visibility.stop();
    },
  };
}
