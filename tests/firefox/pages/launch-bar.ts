import { expect } from '@playwright/test';
import type { NodeRemoteValue } from '../bidi-client';
import type { Tab } from './tab';

/**
 * The injected launch bar in Firefox. Its shadow root is closed to page script; BiDi hands it out anyway
 * (locateNodes with includeShadowTree 'all'), and the test reads it in a sandbox realm of its own, so a
 * hostile page's changes to DOM methods do not change what the test sees. Clicks are real mouse clicks.
 */

export interface BarButton {
  name: string;
  /** The accessible description (aria-describedby), e.g. a hint about the patient. */
  description: string;
  disabled: boolean;
  /** The button's middle in the viewport. */
  x: number;
  y: number;
}

export interface BarSnapshot {
  /** The bar's visible text, without its status line. */
  text: string;
  /** The launch buttons (not the bar's own toggle or "Open EHR Launchpad"). */
  buttons: BarButton[];
  toggle: (BarButton & { expanded: boolean }) | null;
  openMenu: BarButton | null;
  status: string;
  /** The region's box, to tell whether the bar moved. */
  box: string;
}

/** How often the page objects look again while waiting for the bar. */
const POLL_MS = [100];
/** A button is clicked once it has been still this long: the bar refuses clicks on a bar that just moved (STILL_MS, 500 ms). */
const SETTLE_MS = 1000;
const READ_SANDBOX = 'ehr-launchpad-e2e';

/** Reads the bar from its shadow root; runs in the page's sandbox realm, so only its argument is used. */
function readBar(root: ShadowRoot): BarSnapshot | null {
  const region = root.querySelector<HTMLElement>('[role="region"]');
  if (!region) return null;
  const nameOf = (el: Element) => (el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\s+/g, ' ').trim();
  const describe = (el: Element) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => root.getElementById(id)?.textContent?.trim() ?? '')
      .join(' ');
  const statusEl = region.querySelector<HTMLElement>('[role="status"]');
  const status = statusEl?.innerText.trim() ?? '';
  let text = region.innerText;
  if (status) text = text.replace(status, '');
  const buttons: BarButton[] = [];
  let toggle: BarSnapshot['toggle'] = null;
  let openMenu: BarButton | null = null;
  for (const b of region.querySelectorAll('button')) {
    const rect = b.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) continue;
    const button = {
      name: nameOf(b),
      description: describe(b),
      disabled: b.disabled || b.getAttribute('aria-disabled') === 'true',
      x: rect.left + rect.width / 2,
      y: rect.top + rect.height / 2,
    };
    const expanded = b.getAttribute('aria-expanded');
    if (expanded !== null) toggle = { ...button, expanded: expanded === 'true' };
    else if (button.name === 'Open EHR Launchpad') openMenu = button;
    else buttons.push(button);
  }
  const box = region.getBoundingClientRect();
  return {
    text: text.replace(/\s+/g, ' ').trim(),
    buttons,
    toggle,
    openMenu,
    status,
    box: [box.left, box.top, box.width, box.height].map(Math.round).join(','),
  };
}

export class LaunchBar {
  constructor(private readonly tab: Tab) {}

  /** The bar's closed shadow root, or null when there is no bar on the page. */
  private async root(): Promise<NodeRemoteValue | null> {
    const [host] = await this.tab.locate('ehr-launchpad-bar');
    return host?.value?.shadowRoot ?? null;
  }

  /** The bar's text, buttons and status line, or null when there is no bar. */
  async snapshot(): Promise<BarSnapshot | null> {
    const root = await this.root();
    if (!root) return null;
    return this.tab.run(readBar as (...args: never[]) => BarSnapshot | null, [root], { sandbox: READ_SANDBOX }).catch(() => null);
  }

  async waitFor(predicate: (bar: BarSnapshot) => boolean, timeout = 10_000): Promise<BarSnapshot> {
    let last: BarSnapshot | null = null;
    await expect
      .poll(async () => ((last = await this.snapshot()) !== null && predicate(last)), { timeout, intervals: POLL_MS, message: `The launch bar did not reach the expected state; last seen: ${JSON.stringify(last)}` })
      .toBe(true);
    return last!;
  }

  waitForButton(name: string, timeout?: number): Promise<BarSnapshot> {
    return this.waitFor((bar) => bar.buttons.some((b) => b.name === name), timeout);
  }

  waitForStatus(pattern: RegExp, timeout?: number): Promise<BarSnapshot> {
    return this.waitFor((bar) => pattern.test(bar.status), timeout);
  }

  /** Clicks the bar's toggle (minimise, restore, or open the no-patient tab) with the real mouse. */
  async clickToggle(): Promise<BarSnapshot> {
    const bar = await this.waitFor((b) => b.toggle !== null);
    await this.tab.clickAt(bar.toggle!.x, bar.toggle!.y);
    return this.waitFor((b) => b.toggle !== null && b.toggle.expanded !== bar.toggle!.expanded);
  }

  /** Waits for a page with no patient to say why: its small tab is opened and its text must match. */
  async waitForReason(pattern: RegExp, timeout = 10_000): Promise<BarSnapshot> {
    let last: BarSnapshot | null = null;
    const given = async () => {
      last = await this.snapshot();
      if (last?.toggle && !last.toggle.expanded && /no patient|patient's row/.test(last.toggle.name)) {
        await this.clickToggle().catch(() => undefined);
        last = await this.snapshot();
      }
      return last?.toggle?.expanded === true && last.buttons.length === 0 && pattern.test(last.text);
    };
    await expect.poll(given, { timeout, intervals: POLL_MS, message: `The bar did not give the expected reason; last seen: ${JSON.stringify(last)}` }).toBe(true);
    return last!;
  }

  /**
   * Rests the real mouse on the named button until it and the bar have stayed where they are for SETTLE_MS
   * (following the button if it moves), as a person reading the bar does. Answers where to click.
   */
  async settle(name: string): Promise<{ x: number; y: number }> {
    const placeOf = async () => {
      const bar = await this.waitForButton(name);
      const button = bar.buttons.find((b) => b.name === name)!;
      return { x: button.x, y: button.y, key: bar.box };
    };
    let place = await placeOf();
    await this.tab.mouseMove(place.x, place.y);
    let since = Date.now();
    await expect
      .poll(
        async () => {
          const next = await placeOf();
          if (next.x !== place.x || next.y !== place.y || next.key !== place.key) {
            [place, since] = [next, Date.now()];
            await this.tab.mouseMove(place.x, place.y);
          }
          return Date.now() - since >= SETTLE_MS;
        },
        { timeout: 15_000, intervals: POLL_MS, message: `The button "${name}" did not stay still for ${SETTLE_MS} ms` },
      )
      .toBe(true);
    return { x: place.x, y: place.y };
  }

  /** A real, trusted, single mouse click in the middle of the named button, once the bar has settled. */
  async click(name: string): Promise<void> {
    const { x, y } = await this.settle(name);
    await this.tab.clickAt(x, y);
  }
}
