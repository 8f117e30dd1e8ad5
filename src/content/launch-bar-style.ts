/** The bar's own styles, inside its closed shadow root: the host page's CSS cannot reach them. */
export const LAUNCH_BAR_CSS = `
/* Important here beats anything the page sets on the host, even its own !important inline style. */
:host { all: initial !important; display: block !important; }
.bar {
  direction: ltr; unicode-bidi: isolate; cursor: default;
  position: fixed; z-index: 2147483647;
  max-width: min(480px, calc(100vw - 32px));
  box-sizing: border-box; padding: 10px 12px; border-radius: 8px;
  background: #ffffff; color: #212b32; border: 2px solid #005eb8;
  box-shadow: 0 4px 16px rgba(0, 0, 0, 0.25);
  font: 14px/1.4 Arial, Helvetica, sans-serif; text-align: left;
}
.bar[data-corner="bottom-right"] { right: 16px; bottom: 16px; }
.bar[data-corner="bottom-left"] { left: 16px; bottom: 16px; }
.bar[data-corner="top-right"] { right: 16px; top: 16px; }
.bar[data-corner="top-left"] { left: 16px; top: 16px; }
.bar[data-mode="anchored"] { position: relative; z-index: auto; margin: 4px 0; max-width: none; box-shadow: none; contain: layout paint style; }
.bar[data-view="pending"] { display: none; }
.bar[data-view="tab"] { padding: 0; border-width: 1px; border-radius: 6px; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.2); }
.bar[data-mode="anchored"][data-view="tab"] { display: inline-block; }
.bar[data-view="tab"] .title, .bar[data-view="tab"] .body { display: none; }
.head { display: flex; align-items: center; justify-content: space-between; gap: 12px; margin: 0 0 2px; }
.bar[data-view="tab"] .head { margin: 0; }
.title { font-weight: bold; color: #005eb8; font-size: 14px; margin: 0; }
button.toggle { font-size: 12px; padding: 0 8px; line-height: 20px; background: #ffffff; color: #005eb8; border: 1px solid #005eb8; }
.bar[data-view="tab"] button.toggle { border: 0; padding: 3px 10px; }
/* Whom a minimised bar is for: a tooltip beside the tab on hover or focus, so the EHR page never moves. */
.peek {
  display: none; position: absolute; margin: 0; padding: 4px 8px; white-space: nowrap; font-size: 12px;
  background: #ffffff; color: #212b32; border: 1px solid #005eb8; border-radius: 4px; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.2);
}
.bar[data-view="tab"]:hover .peek:not(:empty), .bar[data-view="tab"]:focus-within .peek:not(:empty) { display: block; }
.bar[data-corner^="bottom"] .peek { bottom: calc(100% + 4px); }
.bar[data-corner^="top"] .peek, .bar[data-mode="anchored"] .peek { top: calc(100% + 4px); bottom: auto; }
.bar[data-corner$="right"] .peek { right: 0; }
.bar[data-corner$="left"] .peek, .bar[data-mode="anchored"] .peek { left: 0; right: auto; }
.bar[data-mode="anchored"][data-view="tab"] { contain: layout style; }
.patient { margin: 0 0 6px; }
.patient strong { font-size: 15px; }
.reason { display: block; margin-top: 4px; color: #425563; }
.buttons { display: flex; flex-wrap: wrap; gap: 6px; }
button {
  font: inherit; font-weight: bold; cursor: pointer; padding: 6px 12px; border-radius: 4px;
  border: 2px solid #005eb8; background: #005eb8; color: #ffffff;
}
button:focus-visible { outline: 3px solid #ffeb3b; outline-offset: 1px; }
button[aria-disabled="true"] { background: #ffffff; color: #425563; border-color: #768692; cursor: not-allowed; }
button[data-state="working"] { opacity: 0.75; cursor: progress; }
.hints:empty { display: none; }
.hint { margin: 0 0 8px; padding: 4px 8px; border-left: 4px solid #ffb81c; background: #fff9e6; color: #212b32; }
button.has-hint::after { content: " \\25CF"; color: #ffb81c; }
/* Why a button cannot launch yet: information in a neutral tone, not an error. */
.reasons { margin: 6px 0 0; color: #425563; }
.reasons[hidden] { display: none; }
.why { margin: 0 0 2px; }
.fix { margin: 4px 0 0; display: flex; flex-wrap: wrap; align-items: center; gap: 4px 8px; }
button.open-menu { font-weight: normal; padding: 2px 10px; background: #ffffff; color: #005eb8; border: 1px solid #005eb8; }
/* The live region stays in the tree for screen readers; empty, it takes no room. */
.status { margin: 6px 0 0; }
.status:empty { margin: 0; }
.status[data-kind="error"] { color: #d5281b; font-weight: bold; }
.status[data-kind="notice"] { color: #425563; }
/* Dark only on a dark EHR page (launch-bar-scheme.ts reads the page), never because the system is dark. */
.bar[data-scheme="dark"] { background: #1d2327; color: #f0f4f5; border-color: #41b6e6; }
.bar[data-scheme="dark"] .title { color: #41b6e6; }
.bar[data-scheme="dark"] button.toggle, .bar[data-scheme="dark"] button.open-menu { background: #1d2327; color: #41b6e6; border-color: #41b6e6; }
.bar[data-scheme="dark"] .peek { background: #1d2327; color: #f0f4f5; border-color: #41b6e6; }
.bar[data-scheme="dark"] .reason, .bar[data-scheme="dark"] .reasons { color: #d8dde0; }
.bar[data-scheme="dark"] .status[data-kind="error"] { color: #ff8a80; }
.bar[data-scheme="dark"] .status[data-kind="notice"] { color: #d8dde0; }
.bar[data-scheme="dark"] button[aria-disabled="true"] { background: #1d2327; color: #d8dde0; }
.bar[data-scheme="dark"] .hint { background: #2d2a1f; color: #f0f4f5; }
`;
