/**
 * The strip's styles, inside its closed shadow root. Important declarations on :host beat the page's, even the
 * page's own important inline style on the host, and the browser's popover styles (the host is a popover in
 * the top layer, see top-layer: no box, no backdrop, the top of the viewport and its full width, like a plain
 * fixed element; hidden, it still shows as one). The strip lies over the top of the page (fixed), so the
 * partner's layout does not move. Amber and black with a warning sign: the meaning does not rest on colour.
 * No opacity, filter or transform on the box: the browser would then never call it visible (see strip-guard).
 */
export const STRIP_CSS = `
:host {
  all: initial !important; display: block !important; position: fixed !important;
  top: 0 !important; left: 0 !important; right: 0 !important; bottom: auto !important;
  z-index: 2147483647 !important; width: auto !important; height: auto !important;
  max-width: none !important; max-height: none !important; margin: 0 !important; border: 0 !important;
  padding: 0 !important; background: transparent !important; overflow: visible !important;
}
:host::backdrop { display: none !important; }
.box {
  direction: ltr; unicode-bidi: isolate; text-align: left; cursor: default;
  box-sizing: border-box; margin: 0; padding: 10px 16px; max-height: 50vh; overflow: auto;
  background: #ffb81c; color: #000000; border-bottom: 4px solid #000000;
  box-shadow: 0 2px 8px rgba(0, 0, 0, 0.4);
  font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
}
.heading { margin: 0 0 4px; font-weight: bold; font-size: 16px; }
.sign { margin-right: 8px; font-size: 20px; line-height: 1; }
.line { margin: 0; }
.buttons { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 8px; }
button {
  font: inherit; font-weight: bold; cursor: pointer; padding: 6px 12px; border-radius: 4px;
  border: 2px solid #000000; background: #000000; color: #ffffff;
}
button.secondary { background: #ffffff; color: #000000; }
button:focus-visible { outline: 3px solid #005eb8; outline-offset: 2px; }
button[aria-disabled="true"] { cursor: progress; background: #ffffff; color: #4c6272; border-color: #4c6272; }
.status { margin: 8px 0 0; padding: 4px 8px; background: #ffffff; color: #000000; border-left: 4px solid #d5281b; font-weight: bold; }
.status:empty { display: none; }
@media (forced-colors: active) {
  .box { border: 3px solid CanvasText; }
  button { border: 2px solid ButtonText; }
}
`;
