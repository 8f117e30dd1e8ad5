import WebSocket from 'ws';

/**
 * A small WebDriver BiDi client: Firefox's own remote protocol, spoken over one WebSocket. Only the commands
 * and events the Firefox e2e suite uses are typed here (https://w3c.github.io/webdriver-bidi/).
 */

export interface SharedReference {
  sharedId: string;
}

/** A value as the browser serialises it; nodes carry a sharedId to pass back, and their shadow root when asked. */
export interface RemoteValue {
  type: string;
  value?: unknown;
  sharedId?: string;
}

export interface NodeRemoteValue extends RemoteValue {
  type: 'node';
  sharedId: string;
  value?: { nodeType: number; localName?: string; shadowRoot?: NodeRemoteValue | null; childNodeCount?: number };
}

/** An argument to a function run in the page: a JSON-like local value, or a node the browser handed out. */
export type LocalValue =
  | SharedReference
  | { type: 'undefined' | 'null' }
  | { type: 'string'; value: string }
  | { type: 'number'; value: number | 'NaN' | 'Infinity' }
  | { type: 'boolean'; value: boolean };

export type Target = { context: string; sandbox?: string } | { realm: string };

export interface BrowsingContextInfo {
  context: string;
  url: string;
  parent?: string | null;
  children: BrowsingContextInfo[] | null;
  userContext?: string;
  originalOpener?: string | null;
}

export type ScriptResult = { type: 'success'; result: RemoteValue } | { type: 'exception'; exceptionDetails: { text: string } };

export type PointerAction =
  | { type: 'pointerMove'; x: number; y: number; origin?: 'viewport' | 'pointer' | { type: 'element'; element: SharedReference }; duration?: number }
  | { type: 'pointerDown' | 'pointerUp'; button: number }
  | { type: 'pause'; duration?: number };

export type KeyAction = { type: 'keyDown' | 'keyUp'; value: string } | { type: 'pause'; duration?: number };

export type InputSource =
  | { type: 'pointer'; id: string; parameters?: { pointerType: 'mouse' }; actions: PointerAction[] }
  | { type: 'key'; id: string; actions: KeyAction[] };

type SerializationOptions = { includeShadowTree?: 'none' | 'open' | 'all'; maxDomDepth?: number | null };

/** The commands used, with their parameters and results. */
export interface Commands {
  'session.new': { params: { capabilities: Record<string, unknown> }; result: { sessionId: string; capabilities: Record<string, unknown> } };
  'session.subscribe': { params: { events: string[]; contexts?: string[] }; result: { subscription?: string } };
  'session.end': { params: Record<string, never>; result: Record<string, never> };
  'browser.close': { params: Record<string, never>; result: Record<string, never> };
  'webExtension.install': { params: { extensionData: { type: 'path'; path: string } }; result: { extension: string } };
  'browsingContext.getTree': { params: { root?: string; maxDepth?: number }; result: { contexts: BrowsingContextInfo[] } };
  'browsingContext.create': { params: { type: 'tab' | 'window'; background?: boolean }; result: { context: string } };
  'browsingContext.navigate': { params: { context: string; url: string; wait?: 'none' | 'interactive' | 'complete' }; result: { navigation: string | null; url: string } };
  'browsingContext.reload': { params: { context: string; wait?: 'none' | 'interactive' | 'complete' }; result: { navigation: string | null; url: string } };
  'browsingContext.traverseHistory': { params: { context: string; delta: number }; result: Record<string, never> };
  'browsingContext.activate': { params: { context: string }; result: Record<string, never> };
  'browsingContext.close': { params: { context: string; promptUnload?: boolean }; result: Record<string, never> };
  'browsingContext.captureScreenshot': { params: { context: string }; result: { data: string } };
  'browsingContext.setViewport': { params: { context: string; viewport: { width: number; height: number } | null }; result: Record<string, never> };
  'browsingContext.locateNodes': {
    params: {
      context: string;
      locator: { type: 'css' | 'xpath'; value: string } | { type: 'innerText'; value: string; matchType?: 'full' | 'partial' };
      startNodes?: SharedReference[];
      maxNodeCount?: number;
      serializationOptions?: SerializationOptions;
    };
    result: { nodes: NodeRemoteValue[] };
  };
  'script.evaluate': {
    params: { expression: string; target: Target; awaitPromise: boolean; serializationOptions?: SerializationOptions };
    result: ScriptResult;
  };
  'script.callFunction': {
    params: {
      functionDeclaration: string;
      target: Target;
      awaitPromise: boolean;
      arguments?: LocalValue[];
      this?: LocalValue;
      serializationOptions?: SerializationOptions;
    };
    result: ScriptResult;
  };
  'input.performActions': { params: { context: string; actions: InputSource[] }; result: Record<string, never> };
  'script.addPreloadScript': { params: { functionDeclaration: string; contexts?: string[]; sandbox?: string }; result: { script: string } };
  'script.removePreloadScript': { params: { script: string }; result: Record<string, never> };
  'input.releaseActions': { params: { context: string }; result: Record<string, never> };
}

/** The events used, with their parameters. */
export interface Events {
  'browsingContext.contextCreated': BrowsingContextInfo;
  'browsingContext.contextDestroyed': BrowsingContextInfo;
  'browsingContext.load': { context: string; url: string; navigation: string | null };
  'browsingContext.domContentLoaded': { context: string; url: string; navigation: string | null };
  'log.entryAdded': { level: string; text: string | null; source: { context?: string } };
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; method: string };

export class BidiError extends Error {}

export class BidiClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(params: unknown) => void>>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => this.receive(String(data)));
    socket.on('close', () => {
      for (const { reject, method } of this.pending.values()) reject(new BidiError(`${method}: the connection to Firefox closed`));
      this.pending.clear();
    });
  }

  /** Connects to Firefox's BiDi endpoint (ws://127.0.0.1:<port>/session) and starts a session. */
  static async connect(url: string): Promise<BidiClient> {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const client = new BidiClient(socket);
    await client.send('session.new', { capabilities: { alwaysMatch: { acceptInsecureCerts: true, unhandledPromptBehavior: { default: 'ignore' } } } });
    return client;
  }

  send<M extends keyof Commands>(method: M, params: Commands[M]['params']): Promise<Commands[M]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, method });
      this.socket.send(JSON.stringify({ id, method, params }), (error) => {
        if (error) {
          this.pending.delete(id);
          reject(error);
        }
      });
    });
  }

  /** Listens for an event (subscribe to it first); answers the function that stops listening. */
  on<E extends keyof Events>(event: E, listener: (params: Events[E]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    const wrapped = listener as (params: unknown) => void;
    set.add(wrapped);
    return () => set.delete(wrapped);
  }

  /** The first event matching `predicate` from now on, or an error after `timeoutMs`. */
  waitForEvent<E extends keyof Events>(event: E, predicate: (params: Events[E]) => boolean, timeoutMs = 15_000): Promise<Events[E]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new BidiError(`No ${event} event matched within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.on(event, (params) => {
        if (!predicate(params)) return;
        clearTimeout(timer);
        off();
        resolve(params);
      });
    });
  }

  close(): void {
    this.socket.close();
  }

  private receive(text: string): void {
    const message = JSON.parse(text) as { id?: number; type: string; method?: string; params?: unknown; result?: unknown; error?: string; message?: string };
    if (message.type === 'event' && message.method) {
      for (const listener of this.listeners.get(message.method) ?? []) listener(message.params);
      return;
    }
    if (message.id === undefined) return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.type === 'error') pending.reject(new BidiError(`${pending.method}: ${message.error}: ${message.message}`));
    else pending.resolve(message.result);
  }
}
