import { t } from '../../shared/i18n';
import { closedHost, el } from '../dom';

/**
 * The picking mode's screen: a transparent layer over the whole page, in a closed shadow root, that takes every
 * pointer event (so the page receives none of the administrator's clicks), outlines the element under the
 * pointer, and a panel that says what to click next. Only trusted events count. Keys: Esc cancels, arrow up
 * and down widen and narrow the outlined element, Enter picks it.
 */

const OVERLAY_CSS = `
:host { all: initial; }
.layer { position: fixed; inset: 0; z-index: 2147483646; cursor: crosshair; background: transparent; }
.box { position: fixed; z-index: 2147483646; pointer-events: none; box-sizing: border-box; display: none; }
.box.hover { border: 2px solid #005eb8; background: rgba(0, 94, 184, 0.12); }
.box.banner { border: 2px dashed #007f3b; }
.tag { position: absolute; left: -2px; top: -22px; padding: 1px 6px; background: #005eb8; color: #fff; font: 12px/18px Arial, sans-serif; white-space: nowrap; }
.panel {
  position: fixed; z-index: 2147483647; left: 50%; bottom: 16px; transform: translateX(-50%);
  max-width: min(560px, calc(100vw - 32px)); box-sizing: border-box; padding: 10px 14px; border-radius: 8px;
  background: #ffffff; color: #212b32; border: 2px solid #005eb8; box-shadow: 0 4px 16px rgba(0, 0, 0, 0.25);
  font: 14px/1.4 Arial, Helvetica, sans-serif; text-align: left;
}
.title { margin: 0 0 4px; font-weight: bold; color: #005eb8; font-size: 12px; text-transform: uppercase; letter-spacing: 0.02em; }
.step { margin: 0 0 4px; font-size: 16px; font-weight: bold; }
.keys { margin: 0; color: #425563; font-size: 12px; }
.error { margin: 4px 0 0; color: #b00020; font-weight: bold; }
.error:empty { display: none; }
button { margin-top: 8px; font: inherit; font-weight: bold; cursor: pointer; padding: 4px 12px; border-radius: 4px; border: 2px solid #005eb8; background: #fff; color: #005eb8; }
button:focus-visible { outline: 3px solid #ffeb3b; outline-offset: 1px; }
`;

export interface PickerOverlay {
  /** Says what to click next (step is 1-based). */
  prompt(step: number, total: number, text: string): void;
  /** A pick that cannot be used, and why: the same step stays. */
  refuse(text: string): void;
  /** Outlines an element picked earlier (the banner, while its fields are picked). */
  mark(element: Element | null): void;
  /** Picking is over: the layer goes, the panel says so for a moment, then everything goes. */
  finish(text: string): void;
  remove(): void;
}

export function createPickerOverlay(handlers: { onPick(element: Element): void; onCancel(): void }): PickerOverlay {
  const { host, shadow } = closedHost('ehr-launchpad-picker', 'block', OVERLAY_CSS);
  host.setAttribute('data-ehr-launchpad', 'picker');
  const layer = el('div', 'layer');
  const hoverBox = el('div', 'box hover');
  const tag = el('span', 'tag');
  hoverBox.append(tag);
  const bannerBox = el('div', 'box banner');
  const panel = el('div', 'panel');
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-live', 'polite');
  panel.setAttribute('aria-label', t('builderPickTitle'));
  const title = el('p', 'title', t('builderPickTitle'));
  const step = el('p', 'step');
  const keys = el('p', 'keys', t('builderPickKeys'));
  const error = el('p', 'error');
  const cancel = el('button', undefined, t('builderPickCancel'));
  cancel.type = 'button';
  panel.append(title, step, keys, error, cancel);
  shadow.append(layer, bannerBox, hoverBox, panel);
  document.documentElement.append(host);

  /** The element outlined now, and the narrower ones the arrow keys widened from. */
  let current: Element | null = null;
  let narrower: Element[] = [];
  let marked: Element | null = null;
  let done = false;

  function pageElementAt(x: number, y: number): Element | null {
    for (const found of document.elementsFromPoint(x, y)) {
      if (found === host || host.contains(found)) continue;
      if (found === document.documentElement || found === document.body) return null;
      return found;
    }
    return null;
  }

  function place(box: HTMLElement, element: Element | null): void {
    if (!element || !element.isConnected) {
      box.style.display = 'none';
      return;
    }
    const rect = element.getBoundingClientRect();
    Object.assign(box.style, { display: 'block', left: `${rect.left}px`, top: `${rect.top}px`, width: `${rect.width}px`, height: `${rect.height}px` });
  }

  function outline(element: Element | null): void {
    current = element;
    tag.textContent = element ? element.localName : '';
    place(hoverBox, element);
  }

  const redraw = () => {
    place(hoverBox, current);
    place(bannerBox, marked);
  };

  layer.addEventListener('mousemove', (event) => {
    if (!event.isTrusted) return;
    narrower = [];
    outline(pageElementAt(event.clientX, event.clientY));
  });
  // Every pointer event stops here: the page under the layer receives none of them.
  for (const type of ['pointerdown', 'pointerup', 'mousedown', 'mouseup', 'auxclick', 'dblclick', 'contextmenu']) {
    layer.addEventListener(type, (event) => {
      event.preventDefault();
      event.stopPropagation();
    });
  }
  layer.addEventListener('click', (event) => {
    event.preventDefault();
    event.stopPropagation();
    if (!event.isTrusted || done) return;
    // The element under the click, unless the arrow keys chose a wider one around it.
    const under = pageElementAt(event.clientX, event.clientY);
    const chosen = current && under && current.contains(under) ? current : under;
    if (chosen) handlers.onPick(chosen);
  });
  cancel.addEventListener('click', (event) => {
    event.stopPropagation();
    if (event.isTrusted) handlers.onCancel();
  });

  function onKey(event: KeyboardEvent): void {
    if (!event.isTrusted || done) return;
    if (!['Escape', 'ArrowUp', 'ArrowDown', 'Enter'].includes(event.key)) return;
    // Our keys are ours while picking: the page does not see them.
    event.preventDefault();
    event.stopImmediatePropagation();
    if (event.key === 'Escape') return handlers.onCancel();
    // Enter on the focused Cancel button is the button's (a closed root hides it from composedPath here).
    if (event.key === 'Enter' && shadow.activeElement === cancel) return handlers.onCancel();
    if (event.key === 'Enter' && current) return handlers.onPick(current);
    if (event.key === 'ArrowUp' && current?.parentElement && current.parentElement !== document.body && current.parentElement !== document.documentElement) {
      narrower.push(current);
      outline(current.parentElement);
    }
    if (event.key === 'ArrowDown' && narrower.length > 0) outline(narrower.pop()!);
  }
  window.addEventListener('keydown', onKey, true);
  window.addEventListener('scroll', redraw, { capture: true, passive: true });
  window.addEventListener('resize', redraw, { passive: true });

  function remove(): void {
    window.removeEventListener('keydown', onKey, true);
    window.removeEventListener('scroll', redraw, { capture: true });
    window.removeEventListener('resize', redraw);
    host.remove();
  }

  return {
    prompt(n, total, text) {
      step.textContent = `${t('builderPickStep', String(n), String(total))} ${text}`;
      error.textContent = '';
    },
    refuse(text) {
      error.textContent = text;
    },
    mark(element) {
      marked = element;
      place(bannerBox, element);
    },
    finish(text) {
      done = true;
      layer.remove();
      hoverBox.remove();
      bannerBox.remove();
      keys.remove();
      cancel.remove();
      step.textContent = text;
      error.textContent = '';
      setTimeout(remove, 4000);
    },
    remove,
  };
}
