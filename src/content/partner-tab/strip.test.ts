// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import type { StripContent } from '../../shared/partner-tabs';

type Listener = (message: unknown, sender: chrome.runtime.MessageSender) => Promise<unknown> | undefined;
const runtime = vi.hoisted(() => ({ listeners: [] as Listener[] }));
vi.mock('../../shared/runtime', () => ({
  uiString: (key: string) => key,
  runtimeId: () => 'ours',
  onMessage: (listener: Listener) => runtime.listeners.push(listener),
}));
const background = vi.hoisted(() => ({ answer: null as unknown, calls: [] as unknown[][] }));
vi.mock('../../shared/messaging', async (actual) => ({
  ...(await actual<object>()),
  sendToBackground: vi.fn(async (...args: unknown[]) => (background.calls.push(args), args[0] === 'strip.get' ? background.answer : {})),
}));
vi.mock('../click-guard', () => ({ clickPoint: () => ({ clientX: 0, clientY: 0 }), clickRefusal: () => null }));

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));
const content: StripContent = {
  partnerLabel: 'Parchment',
  was: { name: 'SMITH, John', nhsNumber: '9434765919' },
  trigger: 'ehr-closed',
  now: null,
};
const strips = () => document.querySelectorAll('ehr-launchpad-strip').length;

describe('the strip script', () => {
  it('asks on start, listens once however often it is injected, and obeys only our background', async () => {
    await import('./strip');
    await settled();
    expect(background.calls).toEqual([['strip.get', {}]]);
    expect(strips()).toBe(0);

    background.answer = content;
    vi.resetModules();
    await import('./strip');
    await settled();
    expect(runtime.listeners).toHaveLength(1);
    expect(background.calls.filter(([type]) => type === 'strip.get')).toHaveLength(2);
    expect(strips()).toBe(1);

    const listener = runtime.listeners[0]!;
    expect(listener({ type: 'strip.show', payload: null }, { id: 'other' })).toBeUndefined();
    expect(listener({ type: 'strip.show', payload: null }, { id: 'ours', tab: { id: 1 } as chrome.tabs.Tab })).toBeUndefined();
    expect(listener({ type: 'strip.show', payload: { ...content, extra: 1 } }, { id: 'ours' })).toBeUndefined();
    expect(strips()).toBe(1);
    await expect(listener({ type: 'strip.show', payload: null }, { id: 'ours' })).resolves.toEqual({});
    expect(strips()).toBe(0);
  });
});
