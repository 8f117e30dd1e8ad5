import { expect, type CDPSession, type Page } from '@playwright/test';
import { POLL_MS } from './poll';
import { settleOn } from './settle';

/**
 * Launch buttons in list rows (profiles with `rows`), seen through the accessibility tree like the bar: each
 * row's closed shadow root is out of reach of selectors. Clicks are real mouse clicks at the button's middle.
 */

interface AXNode {
  nodeId: string;
  parentId?: string;
  role?: { value?: unknown };
  name?: { value?: unknown };
  description?: { value?: unknown };
  childIds?: string[];
  backendDOMNodeId?: number;
}

export interface RowButton {
  name: string;
  /** The tooltip: the row's patient with their NHS number, e.g. "John Smith · NHS 999 000 0018". */
  description: string;
  backendNodeId: number;
  /** The text of the row control's status line (the last click's outcome). */
  status: string;
}

export class RowButtons {
  private session: CDPSession | undefined;

  constructor(private readonly page: Page) {}

  private async cdp(): Promise<CDPSession> {
    this.session ??= await this.page.context().newCDPSession(this.page);
    return this.session;
  }

  /** Every launch button outside the bar ("Open <patient> in <partner>"). */
  async list(): Promise<RowButton[]> {
    const session = await this.cdp();
    const { nodes } = (await session.send('Accessibility.getFullAXTree')) as { nodes: AXNode[] };
    const byId = new Map(nodes.map((n) => [n.nodeId, n]));
    const inBar = (node: AXNode): boolean => {
      for (let at: AXNode | undefined = node; at; at = at.parentId ? byId.get(at.parentId) : undefined) {
        if (at.role?.value === 'region' && at.name?.value === 'EHR Launchpad') return true;
      }
      return false;
    };
    const textOf = (node: AXNode): string =>
      node.role?.value === 'StaticText' ? String(node.name?.value ?? '') : (node.childIds ?? []).map((id) => byId.get(id)).map((n) => (n ? textOf(n) : '')).join(' ');
    return nodes
      .filter((n) => n.role?.value === 'button' && /^Open .+ in .+$/.test(String(n.name?.value ?? '')) && n.backendDOMNodeId !== undefined && !inBar(n))
      .map((n) => {
        const parent = n.parentId ? byId.get(n.parentId) : undefined;
        const status = (parent?.childIds ?? []).map((id) => byId.get(id)).find((c) => c?.role?.value === 'status');
        return { name: String(n.name?.value), description: String(n.description?.value ?? ''), backendNodeId: n.backendDOMNodeId!, status: status ? textOf(status).trim() : '' };
      });
  }

  async waitFor(predicate: (buttons: RowButton[]) => boolean, timeoutMs = 10_000): Promise<RowButton[]> {
    let last: RowButton[] = [];
    await expect(async () => {
      last = await this.list();
      const seen = `${last.length} buttons, the first: ${JSON.stringify(last.slice(0, 6).map((b) => [b.name, b.status]))}`;
      expect(predicate(last), `Row buttons did not reach the expected state; ${seen}`).toBe(true);
    }).toPass({ timeout: timeoutMs, intervals: POLL_MS });
    return last;
  }

  async boxOf(button: RowButton): Promise<{ x: number; y: number }> {
    const session = await this.cdp();
    await session.send('DOM.scrollIntoViewIfNeeded', { backendNodeId: button.backendNodeId });
    const { model } = (await session.send('DOM.getBoxModel', { backendNodeId: button.backendNodeId })) as { model: { content: number[] } };
    const [x1, y1, , , x3, y3] = model.content as [number, number, number, number, number, number];
    return { x: (x1 + x3) / 2, y: (y1 + y3) / 2 };
  }

  /** The named button in the row of this NHS number (as 3-3-4). */
  async find(name: string, nhs: string): Promise<RowButton> {
    const matches = (b: RowButton) => b.name === name && b.description.endsWith(`NHS ${nhs}`);
    return (await this.waitFor((list) => list.some(matches))).find(matches)!;
  }

  /**
   * Rests the real mouse on the named button in that patient's row until the row has been still for longer
   * than the buttons ask (they refuse clicks on buttons that have only just appeared or moved). Answers where
   * to click.
   */
  async settle(name: string, nhs: string): Promise<{ x: number; y: number }> {
    return settleOn(this.page, async () => this.boxOf(await this.find(name, nhs)));
  }

  /** Clicks the named button in that patient's row with the real mouse, once settled on it. */
  async click(name: string, nhs: string): Promise<void> {
    const { x, y } = await this.settle(name, nhs);
    await this.page.mouse.click(x, y);
  }
}
