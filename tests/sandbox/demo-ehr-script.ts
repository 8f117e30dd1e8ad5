import { escapeHtml as e } from './html';

/**
 * Inline scripts for the demo EHR's script-driven layouts. Code is a static string from this repo; data
 * travels in a JSON block, never spliced into code, so no fixture value can change what a script does.
 * No inline event handlers, eval or javascript: URLs: the pages would run under a hash-based CSP.
 */

const UNSAFE_IN_SCRIPT = /[<>&\u2028\u2029]/g;

/** A `<script type="application/json">` block; `<`, `>` and `&` are escaped so no value can close the element. */
export function jsonBlock(id: string, value: unknown): string {
  const json = JSON.stringify(value).replace(UNSAFE_IN_SCRIPT, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `<script type="application/json" id="${e(id)}">${json}</script>`;
}

/** A classic inline script, wrapped so that its names stay out of the page's global scope. */
export function pageScript(id: string, source: string): string {
  if (/<\/script|<!--/i.test(source)) throw new Error(`page script ${id} must not contain "</script" or "<!--"`);
  return `<script id="${e(id)}">
(() => {
'use strict';
${source.trim()}
})();
</script>`;
}

/** Page-side helper shared by the scripts: parse one JSON block. */
export const READ_JSON = `const readJson = (id) => JSON.parse(document.getElementById(id).textContent);`;
