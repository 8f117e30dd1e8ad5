/** An element built with DOM calls and textContent only: page data is never parsed as HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * A host element for our own UI with a closed shadow root and its style sheet: the page can neither read nor
 * restyle what is inside. The host's inline, important style keeps the page's style sheets from hiding,
 * shrinking or fading it (page script still could, which the click guard checks at every click).
 */
export function closedHost(tag: string, display: 'block' | 'inline-block', css: string): { host: HTMLElement; shadow: ShadowRoot } {
  const host = document.createElement(tag);
  host.style.cssText = `all: initial !important; display: ${display} !important;`;
  const shadow = host.attachShadow({ mode: 'closed' });
  shadow.append(el('style', undefined, css));
  return { host, shadow };
}
