/**
 * Keeps the strip's host in the browser's top layer (a manual popover), where the page's own elements cannot
 * be drawn over it whatever their z-index. The page can still put its own modal dialogs, popovers and
 * fullscreen elements in the top layer, and the most recently shown one is drawn on top: when one appears the
 * host is shown again, after it.
 *
 * A modal dialog or a fullscreen element also makes everything outside it inert, our popover included, even
 * drawn above it (Chromium: it could be seen but not clicked, and screen readers lost it). So while the page
 * has one, the host's home is inside that element, where it stays usable.
 *
 * Without the Popover API the host stays an ordinary fixed element, moved last when covered, as before.
 */

/** How many raises in a second happen at once; beyond that, later (a page raising its own in a loop must not hang). */
const QUICK_RAISES_PER_SECOND = 10;
const SLOW_RAISE_MS = 250;

/** Elements whose children are not drawn: the host would vanish inside them. */
const NO_DRAWN_CHILDREN = new Set(['audio', 'canvas', 'embed', 'iframe', 'img', 'input', 'object', 'select', 'svg', 'textarea', 'video']);

export interface TopLayer {
  start(): void;
  stop(): void;
  /** Where the host belongs now: the document element, or inside the page's modal dialog or fullscreen element. */
  home(): Element;
  /** Shows the host again, above every top-layer element the page has. */
  raise(): void;
  /** The host was put (back) in its place, which takes a popover out of the top layer: shows it again. */
  placed(): void;
}

function matches(element: Element, selector: string): boolean {
  try {
    return element.matches(selector);
  } catch {
    // A browser without this selector has no such state either.
    return false;
  }
}

/**
 * `focusInside` gives the element of ours that has keyboard focus, if any: moving the host or hiding the
 * popover drops that focus, and a clinician tabbing through the strip must not be thrown back to the page.
 */
export function keepOnTop(doc: Document, host: HTMLElement, focusInside: () => HTMLElement | null = () => null, now: () => number = Date.now): TopLayer {
  const supported = typeof host.showPopover === 'function' && typeof host.hidePopover === 'function';
  let active = false;
  let observer: MutationObserver | null = null;
  /** The page's modal elements in the order they were seen opening: the last one is the one that blocks the rest. */
  let modals: Element[] = [];
  let recent: number[] = [];
  let later: ReturnType<typeof setTimeout> | undefined;

  const ours = (element: Element) => element === host || host.contains(element);

  function blockingModal(): Element | null {
    let open: Element[];
    try {
      open = [...doc.querySelectorAll(':modal')].filter((element) => !ours(element));
    } catch {
      return null;
    }
    // Ones already open before we looked have no known order: before the ones seen opening, in document order.
    modals = [...open.filter((element) => !modals.includes(element)), ...modals.filter((element) => open.includes(element))];
    return modals[modals.length - 1] ?? null;
  }

  function home(): Element {
    if (!supported) return doc.documentElement;
    const modal = blockingModal();
    return modal instanceof HTMLElement && !NO_DRAWN_CHILDREN.has(modal.localName) ? modal : doc.documentElement;
  }

  function show(again: boolean): void {
    if (!active || !host.isConnected) return;
    const focused = focusInside();
    if (host.getAttribute('popover') !== 'manual') host.setAttribute('popover', 'manual');
    try {
      if (again && matches(host, ':popover-open')) host.hidePopover();
      // A manual popover takes no focus when shown.
      if (!matches(host, ':popover-open')) host.showPopover();
    } catch {
      // The page made the host something that cannot be a popover now; the watches will see to it.
    }
    if (focused && focusInside() !== focused) focused.focus({ preventScroll: true });
  }

  function raiseNow(): void {
    if (!active) return;
    if (!supported) {
      // Last child of the document element: above the page's own elements of the same z-index.
      doc.documentElement.append(host);
      return;
    }
    const focused = focusInside();
    const where = home();
    if (host.parentNode !== where) where.append(host);
    show(true);
    if (focused && focusInside() !== focused) focused.focus({ preventScroll: true });
  }

  function raise(): void {
    const at = now();
    recent = recent.filter((time) => at - time < 1000);
    recent.push(at);
    if (recent.length <= QUICK_RAISES_PER_SECOND) raiseNow();
    else later ??= setTimeout(() => ((later = undefined), raiseNow()), SLOW_RAISE_MS);
  }

  function opened(element: Element): void {
    modals = [...modals.filter((known) => known !== element), element];
    raise();
  }

  function onMutations(records: MutationRecord[]): void {
    let again = false;
    for (const record of records) {
      const target = record.target as Element;
      if (target === host) {
        // The page changed our popover attribute, which hides it.
        show(false);
      } else if (record.attributeName === 'open' && !ours(target)) {
        if (matches(target, ':modal')) return opened(target);
        again = true;
      }
    }
    // A dialog closed: the host may have to leave it.
    if (again && host.parentNode !== home()) raise();
  }

  function onToggle(event: Event): void {
    const target = event.target as Element;
    if (target === host) show(false);
    else if ((event as ToggleEvent).newState === 'open' && !ours(target)) raise();
  }

  function onFullscreen(): void {
    const element = doc.fullscreenElement;
    if (element && !ours(element)) opened(element);
    else if (host.parentNode !== home()) raise();
  }

  return {
    home,
    raise,
    placed: () => show(false),
    start() {
      if (active) return;
      active = true;
      if (!supported) return;
      observer = new MutationObserver(onMutations);
      // Only these attributes: cheap on a page that changes its DOM all the time.
      observer.observe(doc, { subtree: true, attributes: true, attributeFilter: ['open', 'popover'] });
      // Popovers (and, in newer browsers, dialogs) say when they open; these events do not bubble.
      doc.addEventListener('toggle', onToggle, true);
      doc.addEventListener('fullscreenchange', onFullscreen, true);
      raiseNow();
    },
    stop() {
      active = false;
      observer?.disconnect();
      observer = null;
      doc.removeEventListener('toggle', onToggle, true);
      doc.removeEventListener('fullscreenchange', onFullscreen, true);
      clearTimeout(later);
      later = undefined;
      recent = [];
      modals = [];
      try {
        if (matches(host, ':popover-open')) host.hidePopover();
      } catch {
        // Already hidden.
      }
    },
  };
}
