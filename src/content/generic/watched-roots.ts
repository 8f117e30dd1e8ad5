/**
 * The shadow roots and same-origin frame documents the generic reader looked into, per page. While no banner is
 * known, the page watch observes them too: a banner rendered late inside a component's shadow root or a frame
 * changes nothing in the page's own tree, so observing the document alone would never notice it.
 */

const roots = new WeakMap<Document, Node[]>();
const MAX_ROOTS = 50;

export function setWatchedRoots(doc: Document, found: readonly Node[]): void {
  roots.set(doc, found.slice(0, MAX_ROOTS));
}

export function watchedRoots(doc: Document): readonly Node[] {
  return roots.get(doc) ?? [];
}
