/**
 * The warning sign at the start of a marked tab's title, so the tab strip of the window shows it too. The page
 * may set its own title at any time (single-page apps do on every view): the sign goes back on at once.
 */

export const TITLE_SIGN = '⚠';

// The title getter strips and collapses white space, so "⚠ " on an empty title reads back as "⚠".
export function hasWarning(title: string): boolean {
  return title.startsWith(TITLE_SIGN);
}

export function withWarning(title: string): string {
  return hasWarning(title) ? title : `${TITLE_SIGN} ${title}`;
}

export function withoutWarning(title: string): string {
  return hasWarning(title) ? title.slice(TITLE_SIGN.length).trimStart() : title;
}

export interface TitleWarning {
  start(): void;
  stop(): void;
  /** Checks the title now (also after the page replaced its <head>, which the observer loses). */
  check(): void;
}

/**
 * Keeps the sign on `doc`'s title while started. `onTakenOff` runs when the sign alone was taken off the title
 * we set (tampering); a page that sets a new title of its own just gets the sign back.
 */
export function createTitleWarning(doc: Document, onTakenOff: () => void): TitleWarning {
  let observer: MutationObserver | null = null;
  let watched: Node | null = null;
  /** The title as we last left it, with the sign. */
  let expected: string | null = null;
  /** Whether the sign is ours (a title that already had one keeps it when the strip goes). */
  let added = false;

  function enforce(): void {
    const current = doc.title;
    if (hasWarning(current)) {
      expected = current;
      return;
    }
    const takenOff = expected !== null && current === withoutWarning(expected);
    doc.title = withWarning(current);
    expected = doc.title;
    if (takenOff) onTakenOff();
  }

  function observe(): void {
    const target = doc.head ?? doc.documentElement;
    if (!observer || !target || target === watched) return;
    observer.disconnect();
    observer.observe(target, { childList: true, subtree: true, characterData: true });
    watched = target;
  }

  return {
    start() {
      if (observer) return;
      added = !hasWarning(doc.title);
      observer = new MutationObserver(() => enforce());
      observe();
      enforce();
    },
    stop() {
      if (!observer) return;
      observer.disconnect();
      observer = null;
      watched = null;
      expected = null;
      if (added && hasWarning(doc.title)) doc.title = withoutWarning(doc.title);
    },
    check() {
      if (!observer) return;
      observe();
      enforce();
    },
  };
}
