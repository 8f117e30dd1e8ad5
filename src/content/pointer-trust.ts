/**
 * Whether the pointer the clinician sees is where the click lands. A page can draw its own cursor image with
 * a hotspot far from the picture (`cursor: url(...) 110 110`), or hide the cursor and draw a fake one, so the
 * clinician aims at the page and clicks the bar. Inside the bar our own cursor shows, but the way in was the
 * page's: a pointer that came in from a custom or hidden cursor cannot be trusted for a mouse click (the
 * keyboard still launches).
 */

/** A cursor the page drew itself (an image) or hid; the browser's named cursors are honest. */
export function isPageDrawnCursor(cursor: string): boolean {
  return /url\(/i.test(cursor) || /^\s*none\s*$/i.test(cursor);
}

export interface PointerPresence {
  /** The pointer is over the area now, having entered it with an ordinary cursor. */
  inside(): boolean;
  /** The pointer came in from (or the page around the area has) a cursor the page drew or hid. */
  untrusted(): boolean;
  dispose(): void;
}

export function trackPointer(host: Element): PointerPresence {
  const win = host.ownerDocument.defaultView;
  let inside = false;
  let untrusted = false;
  const cursorOf = (element: Element | null): string => (element && win ? win.getComputedStyle(element).cursor : '');
  const onEnter = (event: Event) => {
    if (!event.isTrusted) return;
    inside = true;
    const from = (event as PointerEvent).relatedTarget;
    const around = [from instanceof Element ? from : null, host.parentElement, host.ownerDocument.body, host.ownerDocument.documentElement];
    untrusted = around.some((element) => isPageDrawnCursor(cursorOf(element)));
  };
  const onLeave = (event: Event) => {
    if (!event.isTrusted) return;
    inside = false;
  };
  host.addEventListener('pointerenter', onEnter);
  host.addEventListener('pointerleave', onLeave);
  return {
    inside: () => inside,
    untrusted: () => untrusted,
    dispose() {
      host.removeEventListener('pointerenter', onEnter);
      host.removeEventListener('pointerleave', onLeave);
    },
  };
}
