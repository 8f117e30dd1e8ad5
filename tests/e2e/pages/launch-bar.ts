import { expect, type CDPSession, type Page } from '@playwright/test';
import { POLL_MS } from './poll';
import { settleOn } from './settle';

/**
 * The injected launch bar, seen the way assistive technology sees it. Its closed shadow root is out of reach
 * of page script and of Playwright's selectors, so this reads the browser's accessibility tree over CDP and
 * clicks with the real mouse (a trusted click) at the button's position.
 */

interface AXValue {
  value?: unknown;
}
interface AXNode {
  nodeId: string;
  ignored?: boolean;
  role?: AXValue;
  name?: AXValue;
  description?: AXValue;
  childIds?: string[];
  backendDOMNodeId?: number;
  properties?: { name: string; value: AXValue }[];
}

export interface BarButton {
  name: string;
  /** The accessible description (aria-describedby), e.g. a hint about the patient. */
  description: string;
  disabled: boolean;
  backendNodeId: number;
}

export interface BarSnapshot {
  text: string;
  /** The launch buttons (not the bar's own minimise / restore / "why" toggle). */
  buttons: BarButton[];
  /** The bar's toggle: open (a full bar) or closed (the small tab); its name, and its description (whom a tab is for). */
  toggle: (BarButton & { expanded: boolean }) | null;
  /** "Open EHR Launchpad", shown with the reasons when a partner cannot launch yet. */
  openMenu: BarButton | null;
  status: string;
  /** The region's box on the page. */
  backendNodeId: number;
}

/** The name of the bar's button that opens the toolbar popup (public/_locales: barOpenMenu). */
const OPEN_MENU = 'Open EHR Launchpad';

export class LaunchBar {
  private session: CDPSession | undefined;

  constructor(private readonly page: Page) {}

  private async cdp(): Promise<CDPSession> {
    this.session ??= await this.page.context().newCDPSession(this.page);
    return this.session;
  }

  /** The bar's text, buttons and status line, or null when there is no bar. */
  async snapshot(): Promise<BarSnapshot | null> {
    const session = await this.cdp();
    const { nodes } = (await session.send('Accessibility.getFullAXTree')) as { nodes: AXNode[] };
    const byId = new Map(nodes.map((n) => [n.nodeId, n]));
    const region = nodes.find((n) => n.role?.value === 'region' && n.name?.value === 'EHR Launchpad');
    if (!region) return null;
    const texts: string[] = [];
    const status: string[] = [];
    const buttons: BarButton[] = [];
    let toggle: BarSnapshot['toggle'] = null;
    let openMenu: BarButton | null = null;
    const walk = (node: AXNode, inStatus: boolean) => {
      const role = String(node.role?.value ?? '');
      if (role === 'StaticText' && typeof node.name?.value === 'string') (inStatus ? status : texts).push(node.name.value);
      if (role === 'button' && node.backendDOMNodeId !== undefined) {
        const disabled = node.properties?.some((p) => p.name === 'disabled' && p.value.value === true) ?? false;
        const expanded = node.properties?.find((p) => p.name === 'expanded');
        const button = { name: String(node.name?.value ?? ''), description: String(node.description?.value ?? ''), disabled, backendNodeId: node.backendDOMNodeId };
        // The only button with an expanded state is the bar's own toggle; "Open EHR Launchpad" opens the popup.
        if (expanded) toggle = { ...button, expanded: expanded.value.value === true };
        else if (button.name === OPEN_MENU) openMenu = button;
        else buttons.push(button);
      }
      for (const child of node.childIds ?? []) {
        const next = byId.get(child);
        if (next) walk(next, inStatus || role === 'status');
      }
    };
    walk(region, false);
    return { text: texts.join(' ').replace(/\s+/g, ' ').trim(), buttons, toggle, openMenu, status: status.join(' ').trim(), backendNodeId: region.backendDOMNodeId ?? -1 };
  }

  async waitFor(predicate: (bar: BarSnapshot) => boolean, timeoutMs = 10_000): Promise<BarSnapshot> {
    let last: BarSnapshot | null = null;
    await expect(async () => {
      last = await this.snapshot();
      expect(last !== null && predicate(last), `Launch bar did not reach the expected state; last seen: ${JSON.stringify(last)}`).toBe(true);
    }).toPass({ timeout: timeoutMs, intervals: POLL_MS });
    return last!;
  }

  waitForButton(name: string): Promise<BarSnapshot> {
    return this.waitFor((bar) => bar.buttons.some((b) => b.name === name));
  }

  waitForStatus(pattern: RegExp): Promise<BarSnapshot> {
    return this.waitFor((bar) => pattern.test(bar.status));
  }

  /** The bar's size on the page (the region's border box). */
  async size(): Promise<{ width: number; height: number }> {
    const bar = await this.waitFor(() => true);
    const session = await this.cdp();
    const { model } = (await session.send('DOM.getBoxModel', { backendNodeId: bar.backendNodeId })) as { model: { width: number; height: number } };
    return { width: model.width, height: model.height };
  }

  /** Clicks the bar's toggle (minimise, restore, or open the no-patient tab) with the real mouse. */
  async clickToggle(): Promise<BarSnapshot> {
    const bar = await this.waitFor((b) => b.toggle !== null);
    const { x, y } = await this.boxOf(bar.toggle!);
    await this.page.mouse.click(x, y);
    return this.waitFor((b) => b.toggle !== null && b.toggle.expanded !== bar.toggle!.expanded);
  }

  /** The no-patient tab, opened: its text says why there is no patient. */
  async openReason(): Promise<BarSnapshot> {
    const bar = await this.waitFor((b) => b.toggle !== null);
    return bar.toggle!.expanded ? bar : this.clickToggle();
  }

  /**
   * Waits for a page with no patient to say why: its small tab is opened (with the real mouse) and its text
   * must match. Answers the opened bar.
   */
  async waitForReason(pattern: RegExp, timeoutMs = 10_000): Promise<BarSnapshot> {
    let last: BarSnapshot | null = null;
    await expect(async () => {
      last = await this.snapshot();
      if (last?.toggle && !last.toggle.expanded && /no patient|patient's row/.test(last.toggle.name)) {
        await this.clickToggle().catch(() => undefined);
        last = await this.snapshot();
      }
      const given = last?.toggle?.expanded === true && last.buttons.length === 0 && pattern.test(last.text);
      expect(given, `The bar did not give the expected reason; last seen: ${JSON.stringify(last)}`).toBe(true);
    }).toPass({ timeout: timeoutMs, intervals: POLL_MS });
    return last!;
  }

  /** Gives the bar's toggle keyboard focus, through the closed shadow root. */
  async focusToggle(): Promise<BarSnapshot> {
    const bar = await this.waitFor((b) => b.toggle !== null);
    const session = await this.cdp();
    await session.send('DOM.focus', { backendNodeId: bar.toggle!.backendNodeId });
    return bar;
  }

  /** The middle of a button, in page coordinates. */
  async boxOf(button: BarButton): Promise<{ x: number; y: number }> {
    const session = await this.cdp();
    const { model } = (await session.send('DOM.getBoxModel', { backendNodeId: button.backendNodeId })) as {
      model: { content: number[] };
    };
    const [x1, y1, , , x3, y3] = model.content as [number, number, number, number, number, number];
    return { x: (x1 + x3) / 2, y: (y1 + y3) / 2 };
  }

  /** Gives the named button keyboard focus (as Tab would), through the closed shadow root. */
  async focus(name: string): Promise<void> {
    const bar = await this.waitForButton(name);
    const session = await this.cdp();
    await session.send('DOM.focus', { backendNodeId: bar.buttons.find((b) => b.name === name)!.backendNodeId });
  }

  /** Moves the real mouse onto the named button (without clicking). */
  async hover(name: string): Promise<void> {
    const { x, y } = await this.pointOf(name);
    await this.page.mouse.move(x, y);
  }

  /** The middle of the named button now; the bar may redraw between reading it and measuring it, so retry. */
  private async pointOf(name: string): Promise<{ x: number; y: number }> {
    let point: { x: number; y: number } | undefined;
    await expect(async () => {
      const bar = await this.waitForButton(name);
      point = await this.boxOf(bar.buttons.find((b) => b.name === name)!);
    }).toPass({ timeout: 10_000, intervals: [0, 50] });
    return point!;
  }

  /** The bar region's border box now, as a string to compare. */
  private async regionPlace(): Promise<string> {
    const bar = await this.waitFor(() => true);
    const session = await this.cdp();
    const { model } = (await session.send('DOM.getBoxModel', { backendNodeId: bar.backendNodeId })) as { model: { border: number[] } };
    return model.border.map((n) => Math.round(n)).join(',');
  }

  /**
   * Brings the real mouse onto the named button and waits, as a person reading the bar does, until the bar
   * has been still for longer than the bar asks (it refuses clicks on a bar that has only just appeared or
   * moved: STILL_MS in src/content/click-guard.ts). Answers where to click.
   */
  async settle(name: string): Promise<{ x: number; y: number }> {
    return settleOn(this.page, async () => ({ ...(await this.pointOf(name)), key: await this.regionPlace() }));
  }

  /** A real mouse click on the named button at once: for callers that have already let the bar settle. */
  async clickNow(name: string): Promise<void> {
    const { x, y } = await this.pointOf(name);
    await this.page.mouse.click(x, y);
  }

  /** A real, trusted, single mouse click in the middle of the named button, once the bar has settled. */
  async click(name: string): Promise<void> {
    const { x, y } = await this.settle(name);
    await this.page.mouse.click(x, y);
  }
}
