import type { CDPSession, Page } from '@playwright/test';

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
  buttons: BarButton[];
  status: string;
}

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
    const walk = (node: AXNode, inStatus: boolean) => {
      const role = String(node.role?.value ?? '');
      if (role === 'StaticText' && typeof node.name?.value === 'string') (inStatus ? status : texts).push(node.name.value);
      if (role === 'button' && node.backendDOMNodeId !== undefined) {
        const disabled = node.properties?.some((p) => p.name === 'disabled' && p.value.value === true) ?? false;
        buttons.push({ name: String(node.name?.value ?? ''), description: String(node.description?.value ?? ''), disabled, backendNodeId: node.backendDOMNodeId });
      }
      for (const child of node.childIds ?? []) {
        const next = byId.get(child);
        if (next) walk(next, inStatus || role === 'status');
      }
    };
    walk(region, false);
    return { text: texts.join(' ').replace(/\s+/g, ' ').trim(), buttons, status: status.join(' ').trim() };
  }

  async waitFor(predicate: (bar: BarSnapshot) => boolean, timeoutMs = 10_000): Promise<BarSnapshot> {
    const deadline = Date.now() + timeoutMs;
    let last: BarSnapshot | null = null;
    while (Date.now() < deadline) {
      last = await this.snapshot();
      if (last && predicate(last)) return last;
      await this.page.waitForTimeout(100);
    }
    throw new Error(`Launch bar did not reach the expected state; last seen: ${JSON.stringify(last)}`);
  }

  waitForButton(name: string): Promise<BarSnapshot> {
    return this.waitFor((bar) => bar.buttons.some((b) => b.name === name));
  }

  waitForStatus(pattern: RegExp): Promise<BarSnapshot> {
    return this.waitFor((bar) => pattern.test(bar.status));
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
    for (let attempt = 0; ; attempt++) {
      const bar = await this.waitForButton(name);
      try {
        return await this.boxOf(bar.buttons.find((b) => b.name === name)!);
      } catch (error) {
        if (attempt >= 4) throw error;
        await this.page.waitForTimeout(50);
      }
    }
  }

  /**
   * A real, trusted mouse click in the middle of the named button, as a person makes one: the pointer arrives,
   * then clicks a moment later (the bar asks the browser whether it is really visible when the pointer arrives).
   */
  async click(name: string, dwellMs = 150): Promise<void> {
    const { x, y } = await this.pointOf(name);
    await this.page.mouse.move(x, y);
    await this.page.waitForTimeout(dwellMs);
    const settled = await this.pointOf(name);
    await this.page.mouse.click(settled.x, settled.y);
  }
}
