import { expect, type CDPSession, type Page } from '@playwright/test';

/**
 * The strip EHR Launchpad puts over a partner tab that no longer shows the EHR's patient. Like the launch bar
 * it lives in a closed shadow root, out of reach of page script and of Playwright's selectors, so it is read
 * from the browser's accessibility tree over CDP and clicked with the real mouse (a trusted click).
 */

interface AXNode {
  nodeId: string;
  role?: { value?: unknown };
  name?: { value?: unknown };
  childIds?: string[];
  backendDOMNodeId?: number;
}

export interface StripSnapshot {
  text: string;
  buttons: { name: string; backendNodeId: number }[];
}

export class PartnerStrip {
  private session: CDPSession | undefined;

  constructor(private readonly page: Page) {}

  private async cdp(): Promise<CDPSession> {
    this.session ??= await this.page.context().newCDPSession(this.page);
    return this.session;
  }

  /** The strip's text and buttons, or null when the tab shows none. */
  async snapshot(): Promise<StripSnapshot | null> {
    const session = await this.cdp();
    const { nodes } = (await session.send('Accessibility.getFullAXTree')) as { nodes: AXNode[] };
    const byId = new Map(nodes.map((n) => [n.nodeId, n]));
    const texts: string[] = [];
    const buttons: StripSnapshot['buttons'] = [];
    const walk = (node: AXNode) => {
      const role = String(node.role?.value ?? '');
      if (role === 'StaticText' && typeof node.name?.value === 'string') texts.push(node.name.value);
      if (role === 'button' && node.backendDOMNodeId !== undefined) buttons.push({ name: String(node.name?.value ?? ''), backendNodeId: node.backendDOMNodeId });
      for (const child of node.childIds ?? []) {
        const next = byId.get(child);
        if (next) walk(next);
      }
    };
    for (const alert of nodes.filter((n) => n.role?.value === 'alert')) {
      const before = texts.length;
      walk(alert);
      if (!texts.slice(before).join(' ').includes('EHR Launchpad')) {
        texts.length = before;
        buttons.length = 0;
        continue;
      }
      return { text: texts.join(' ').replace(/\s+/g, ' ').trim(), buttons };
    }
    return null;
  }

  async waitFor(predicate: (strip: StripSnapshot | null) => boolean, timeoutMs = 10_000): Promise<StripSnapshot | null> {
    let last: StripSnapshot | null = null;
    try {
      await expect
        .poll(
          async () => {
            last = await this.snapshot().catch(() => null);
            return predicate(last);
          },
          { timeout: timeoutMs, intervals: [100] },
        )
        .toBe(true);
    } catch {
      throw new Error(`The partner tab's strip did not reach the expected state; last seen: ${JSON.stringify(last)}`);
    }
    return last;
  }

  /** Waits for the strip to show text matching `pattern`. */
  async waitForText(pattern: RegExp): Promise<StripSnapshot> {
    return (await this.waitFor((strip) => strip !== null && pattern.test(strip.text)))!;
  }

  async waitForNone(): Promise<void> {
    await this.waitFor((strip) => strip === null);
  }

  /** Gives the named button keyboard focus (as Tab would) and presses Enter. */
  async press(name: string): Promise<void> {
    const strip = await this.waitFor((s) => s?.buttons.some((b) => b.name === name) === true);
    const session = await this.cdp();
    await this.page.bringToFront();
    await session.send('DOM.focus', { backendNodeId: strip!.buttons.find((b) => b.name === name)!.backendNodeId });
    await this.page.keyboard.press('Enter');
  }

  /** Clicks the named button with the real mouse. */
  async click(name: string): Promise<void> {
    const strip = await this.waitFor((s) => s?.buttons.some((b) => b.name === name) === true);
    const button = strip!.buttons.find((b) => b.name === name)!;
    const session = await this.cdp();
    const { model } = (await session.send('DOM.getBoxModel', { backendNodeId: button.backendNodeId })) as { model: { content: number[] } };
    const [x1, y1, , , x3, y3] = model.content as [number, number, number, number, number, number];
    await this.page.bringToFront();
    await this.page.mouse.click((x1 + x3) / 2, (y1 + y3) / 2).catch((error: unknown) => {
      // "Close tab" can close the tab before the browser has acknowledged the button's release.
      if (!this.page.isClosed()) throw error;
    });
  }
}
