import { t } from '../../shared/i18n';
import type { StripContent } from '../../shared/partner-tabs';
import { clickPoint, clickRefusal } from '../click-guard';
import { closedHost, el } from '../dom';
import { STRIP_CSS } from './strip-style';
import { stripText } from './strip-text';

/**
 * The strip's DOM: a closed shadow root on its own host element, built with DOM calls and textContent only
 * (the names come from the EHR page and the background; nothing is parsed as HTML). Buttons act only on clicks
 * the browser marks as trusted, and only when the strip is what is really under the click.
 */

export type StripAction = 'open-here' | 'close' | 'keep';

export interface StripViewCallbacks {
  /** A trusted click on a button; the promise settles when the background has answered. */
  onAct(action: StripAction, content: StripContent): Promise<void>;
  /** A click on a strip that the page was covering or fading: nothing was done. */
  onCovered(): void;
}

export interface StripView {
  host: HTMLElement;
  box: HTMLElement;
  render(content: StripContent): void;
  /** Shows a message for the clinician in the strip (an error, or a wait); empty clears it. */
  status(text: string): void;
  /** Our element that has keyboard focus, if any. */
  focused(): HTMLElement | null;
}

export function createStripView(callbacks: StripViewCallbacks): StripView {
  const { host, shadow } = closedHost('ehr-launchpad-strip', 'block', STRIP_CSS);
  const box = el('div', 'box');
  box.setAttribute('role', 'alert');
  shadow.append(box);
  let busy = false;
  let buttons: HTMLButtonElement[] = [];
  let statusLine = el('p', 'status');

  function setBusy(value: boolean): void {
    busy = value;
    // aria-disabled rather than disabled: a disabled button drops keyboard focus to the page's body.
    for (const button of buttons) button.setAttribute('aria-disabled', String(value));
  }

  function button(label: string, action: StripAction, content: StripContent, secondary: boolean): HTMLButtonElement {
    const node = el('button', secondary ? 'secondary' : undefined, label);
    node.type = 'button';
    node.addEventListener('click', (event) => {
      if (!event.isTrusted || busy) return;
      if (clickRefusal(host, box, clickPoint(event, node))) {
        statusLine.textContent = t('stripCovered');
        callbacks.onCovered();
        return;
      }
      setBusy(true);
      statusLine.textContent = t('stripWorking');
      void callbacks.onAct(action, content).finally(() => setBusy(false));
    });
    return node;
  }

  return {
    host,
    box,
    render(content) {
      const text = stripText(content);
      const heading = el('p', 'heading');
      heading.append(el('span', 'sign', '⚠'), text.heading);
      heading.firstElementChild?.setAttribute('aria-hidden', 'true');
      const row = el('div', 'buttons');
      buttons = [];
      if (text.openHere !== null) buttons.push(button(text.openHere, 'open-here', content, false));
      buttons.push(button(text.close, 'close', content, text.openHere !== null));
      buttons.push(button(text.keep, 'keep', content, true));
      row.append(...buttons);
      statusLine = el('p', 'status');
      box.replaceChildren(heading, el('p', 'line', text.opened), el('p', 'line', text.current), row, statusLine);
      busy = false;
    },
    status(text) {
      statusLine.textContent = text;
    },
    focused() {
      return shadow.activeElement instanceof HTMLElement ? shadow.activeElement : null;
    },
  };
}
