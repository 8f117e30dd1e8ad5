import { expect } from '@playwright/test';
import type { KeyAction, LocalValue, NodeRemoteValue, PointerAction, SharedReference } from '../bidi-client';
import type { Firefox } from '../firefox-launcher';

/**
 * Outside the test runner (the tour runs under tsx), esbuild names functions through a `__name` helper that the
 * page does not have: a no-op stand-in goes in front of every function sent as source.
 */
const KEEP_NAMES = 'const __name = (target) => target;';

/** An argument for `Tab.run`: plain JSON-like values, or a node the browser handed out. */
export type Arg = string | number | boolean | null | undefined | NodeRemoteValue;

function toLocal(arg: Arg): LocalValue {
  if (arg === null) return { type: 'null' };
  if (arg === undefined) return { type: 'undefined' };
  if (typeof arg === 'string') return { type: 'string', value: arg };
  if (typeof arg === 'number') return { type: 'number', value: arg };
  if (typeof arg === 'boolean') return { type: 'boolean', value: arg };
  return { sharedId: arg.sharedId };
}

export interface RunOptions {
  /**
   * Run in a sandbox realm of that name instead of the page's own: page script cannot reach or tamper with
   * what the test reads there (the hostile pages redefine DOM methods).
   */
  sandbox?: string;
}

/**
 * One top-level browsing context (a tab or the auth window), driven over BiDi. Functions passed to `run` are
 * sent as source and run in the page: they must not use anything from the test's scope, only their arguments.
 */
export class Tab {
  constructor(
    readonly firefox: Firefox,
    readonly context: string,
  ) {}

  /** A new tab, at `url` once its load event has fired. */
  static async open(firefox: Firefox, url?: string): Promise<Tab> {
    const { context } = await firefox.client.send('browsingContext.create', { type: 'tab' });
    const tab = new Tab(firefox, context);
    if (url) await tab.goto(url);
    return tab;
  }

  private get client() {
    return this.firefox.client;
  }

  async goto(url: string): Promise<void> {
    await this.client.send('browsingContext.navigate', { context: this.context, url, wait: 'complete' });
  }

  async reload(): Promise<void> {
    await this.client.send('browsingContext.reload', { context: this.context, wait: 'complete' });
  }

  async back(): Promise<void> {
    await this.client.send('browsingContext.traverseHistory', { context: this.context, delta: -1 });
  }

  async forward(): Promise<void> {
    await this.client.send('browsingContext.traverseHistory', { context: this.context, delta: 1 });
  }

  async bringToFront(): Promise<void> {
    await this.client.send('browsingContext.activate', { context: this.context });
  }

  async close(): Promise<void> {
    await this.client.send('browsingContext.close', { context: this.context });
  }

  /** The address now. */
  async url(): Promise<string> {
    const { contexts } = await this.client.send('browsingContext.getTree', { root: this.context, maxDepth: 0 });
    return contexts[0]?.url ?? '';
  }

  /** Runs `fn` in the page with `args` and answers its (awaited) result, carried back as JSON. */
  async run<T>(fn: (...args: never[]) => T | Promise<T>, args: Arg[] = [], options: RunOptions = {}): Promise<T> {
    const answer = await this.client.send('script.callFunction', {
      functionDeclaration: `async function (...args) { ${KEEP_NAMES} const value = await (${fn.toString()})(...args); return value === undefined ? undefined : JSON.stringify(value); }`,
      target: { context: this.context, ...(options.sandbox ? { sandbox: options.sandbox } : {}) },
      awaitPromise: true,
      arguments: args.map(toLocal),
    });
    if (answer.type === 'exception') throw new Error(`Script in the page threw: ${answer.exceptionDetails.text}`);
    return answer.result.type === 'string' ? (JSON.parse(answer.result.value as string) as T) : (undefined as T);
  }

  /** Runs `fn` in the page and answers the node it returns (null when it returns none). */
  async node(fn: (...args: never[]) => Node | null | undefined, args: Arg[] = [], options: RunOptions = {}): Promise<NodeRemoteValue | null> {
    const answer = await this.client.send('script.callFunction', {
      functionDeclaration: `function (...args) { ${KEEP_NAMES} return (${fn.toString()})(...args); }`,
      target: { context: this.context, ...(options.sandbox ? { sandbox: options.sandbox } : {}) },
      awaitPromise: true,
      arguments: args.map(toLocal),
      serializationOptions: { maxDomDepth: 0, includeShadowTree: 'all' },
    });
    if (answer.type === 'exception') throw new Error(`Script in the page threw: ${answer.exceptionDetails.text}`);
    return answer.result.type === 'node' ? (answer.result as NodeRemoteValue) : null;
  }

  /** Nodes matching a CSS selector, under `within` when given (which may be a closed shadow root). */
  async locate(selector: string, within?: SharedReference): Promise<NodeRemoteValue[]> {
    const { nodes } = await this.client.send('browsingContext.locateNodes', {
      context: this.context,
      locator: { type: 'css', value: selector },
      ...(within ? { startNodes: [{ sharedId: within.sharedId }] } : {}),
      serializationOptions: { maxDomDepth: 0, includeShadowTree: 'all' },
    });
    return nodes;
  }

  /** Waits for a node matching the selector and answers the first. */
  async waitForNode(selector: string, timeout = 10_000): Promise<NodeRemoteValue> {
    let found: NodeRemoteValue | undefined;
    await expect.poll(async () => (found = (await this.locate(selector))[0]) !== undefined, { timeout, message: `${selector} did not appear` }).toBe(true);
    return found!;
  }

  /** Text of the first node matching the selector (trimmed), or null when there is none. */
  text(selector: string): Promise<string | null> {
    return this.run((s: string) => document.querySelector<HTMLElement>(s)?.innerText.trim() ?? null, [selector]);
  }

  /** A button by its accessible name (aria-label, else its text), waiting for it. */
  async button(name: string, timeout = 10_000): Promise<NodeRemoteValue> {
    let found: NodeRemoteValue | null = null;
    const find = (wanted: string) =>
      [...document.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent ?? '').replace(/\s+/g, ' ').trim() === wanted && b.getClientRects().length > 0) ?? null;
    await expect.poll(async () => (found = await this.node(find, [name])) !== null, { timeout, message: `No button named "${name}"` }).toBe(true);
    return found!;
  }

  /** A real (trusted) mouse click in the middle of a node, scrolled into view first as a person would. */
  async click(node: NodeRemoteValue): Promise<void> {
    await this.run((el: Element) => el.scrollIntoView({ block: 'center', inline: 'center' }), [node]);
    await this.pointerClick({ type: 'pointerMove', x: 0, y: 0, origin: { type: 'element', element: { sharedId: node.sharedId } } });
  }

  /** The mouse moved as `move` says, then its main button pressed and released there. */
  private async pointerClick(move: PointerAction & { type: 'pointerMove' }): Promise<void> {
    await this.client.send('input.performActions', {
      context: this.context,
      actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [move, { type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 }] }],
    });
  }

  async clickButton(name: string): Promise<void> {
    await this.click(await this.button(name));
  }

  /** Moves the real mouse to a point in the viewport (CSS pixels), without clicking. */
  async mouseMove(x: number, y: number): Promise<void> {
    await this.client.send('input.performActions', {
      context: this.context,
      actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [{ type: 'pointerMove', x: Math.round(x), y: Math.round(y), origin: 'viewport' }] }],
    });
  }

  /** A real mouse click at a point in the viewport (CSS pixels). */
  async clickAt(x: number, y: number): Promise<void> {
    await this.pointerClick({ type: 'pointerMove', x: Math.round(x), y: Math.round(y), origin: 'viewport' });
  }

  /** Real key presses, one per character, into whatever has focus. */
  async type(text: string): Promise<void> {
    const actions: KeyAction[] = [...text].flatMap((ch) => [
      { type: 'keyDown' as const, value: ch },
      { type: 'keyUp' as const, value: ch },
    ]);
    await this.client.send('input.performActions', { context: this.context, actions: [{ type: 'key', id: 'keyboard', actions }] });
  }

  /** Presses one key by its WebDriver code point (Enter is \uE007). */
  async press(key: string): Promise<void> {
    await this.type(key);
  }

  /**
   * Sets a field's value as one edit (select all, then the new text as an input event), for long text such as a
   * configuration document that would take minutes to type key by key. The field is clicked first.
   */
  async fill(selector: string, value: string): Promise<void> {
    await this.click(await this.waitForNode(selector));
    await this.run(
      (s: string, v: string) => {
        const field = document.querySelector<HTMLInputElement | HTMLTextAreaElement>(s)!;
        field.focus();
        field.select();
        // execCommand goes through the editor as typing would (an input event the page's own handlers see).
        if (!document.execCommand('insertText', false, v) || field.value !== v) {
          field.value = v;
          field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: v }));
        }
      },
      [selector, value],
    );
  }

  /** Clears a field with the keyboard and types `value` into it with real key presses. */
  async typeInto(selector: string, value: string): Promise<void> {
    const field = await this.waitForNode(selector);
    await this.click(field);
    await this.run((s: string) => document.querySelector<HTMLInputElement>(s)!.select(), [selector]);
    await this.type(value === '' ? '\uE017' : value);
  }
}
