import { afterEach, describe, expect, it, vi } from 'vitest';
import { onMessage, runtimeId, sendMessage, uiString } from './runtime';

type Listener = (message: unknown, sender: unknown, sendResponse: (answer?: unknown) => void) => boolean;

function fakeChrome() {
  const listeners: Listener[] = [];
  const api = {
    runtime: { id: 'ext-id', sendMessage: vi.fn(async (m: unknown) => ({ echoed: m })), onMessage: { addListener: (l: Listener) => listeners.push(l) } },
    i18n: { getMessage: (key: string, subs?: string[]) => `${key}:${(subs ?? []).join(',')}` },
  };
  return { api, listeners };
}

afterEach(() => vi.unstubAllGlobals());

describe('runtime adapter', () => {
  it('uses the browser namespace where there is one, else chrome', async () => {
    const { api } = fakeChrome();
    vi.stubGlobal('chrome', api);
    expect(runtimeId()).toBe('ext-id');
    expect(await sendMessage({ a: 1 })).toEqual({ echoed: { a: 1 } });
    expect(uiString('hello', ['x'])).toBe('hello:x');
    vi.stubGlobal('browser', { ...api, runtime: { ...api.runtime, id: 'firefox-id' } });
    expect(runtimeId()).toBe('firefox-id');
  });

  it('answers through sendResponse when the listener returns a promise, and not at all otherwise', async () => {
    const { api, listeners } = fakeChrome();
    vi.stubGlobal('chrome', api);
    onMessage((message) => ((message as { type: string }).type === 'ping' ? Promise.resolve('pong') : undefined));
    const answered: unknown[] = [];
    expect(listeners[0]!({ type: 'ping' }, {}, (a) => answered.push(a))).toBe(true);
    expect(listeners[0]!({ type: 'other' }, {}, (a) => answered.push(a))).toBe(false);
    await Promise.resolve();
    expect(answered).toEqual(['pong']);
  });

  it('answers undefined when the listener fails, so the sender is not left waiting', async () => {
    const { api, listeners } = fakeChrome();
    vi.stubGlobal('chrome', api);
    onMessage(() => Promise.reject(new Error('no')));
    const answered: unknown[] = [];
    listeners[0]!({}, {}, (a) => answered.push(a));
    await new Promise((r) => setTimeout(r, 0));
    expect(answered).toEqual([undefined]);
  });
});
