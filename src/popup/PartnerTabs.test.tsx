// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PartnerTabSummary } from '../shared/partner-tabs';

vi.mock('../shared/runtime', () => ({ uiString: (key: string, subs: string[] = []) => `${key}${subs.length ? `(${subs.join(',')})` : ''}` }));
const background = vi.hoisted(() => ({ tabs: [] as PartnerTabSummary[], calls: [] as { type: string; payload: unknown }[], fail: null as string | null }));
vi.mock('../shared/messaging', () => ({
  sendToBackground: vi.fn(async (type: string, payload: { tabId: number }) => {
    background.calls.push({ type, payload });
    if (background.fail === type) throw new Error('That tab is gone.');
    if (type === 'partnerTabs.list') return background.tabs;
    if (type === 'partnerTabs.close') background.tabs = background.tabs.filter((tab) => tab.tabId !== payload.tabId);
    return {};
  }),
}));

const { PartnerTabs } = await import('./PartnerTabs');

const parchment: PartnerTabSummary = { tabId: 41, partnerLabel: 'Parchment', patient: { name: 'SMITH, John', nhsNumber: '9434765919' }, state: 'marked' };
const pkb: PartnerTabSummary = { tabId: 42, partnerLabel: 'PKB', patient: { name: 'DOE, Jane', nhsNumber: '9990000018' }, state: 'current' };

/**
 * Lets the effects, the background's answers and the renders they cause all happen. Each act() flushes one
 * round (a click's answer, then the reload it starts, then that answer), so a few rounds are enough.
 */
async function settle(): Promise<void> {
  for (let round = 0; round < 3; round++) await act(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
}

async function click(button: HTMLButtonElement): Promise<void> {
  await act(() => button.click());
  await settle();
}

async function show(tabs: PartnerTabSummary[]): Promise<HTMLElement> {
  background.tabs = tabs;
  const root = document.createElement('div');
  document.body.append(root);
  await act(() => render(<PartnerTabs tabId={7} />, root));
  await settle();
  return root;
}

afterEach(() => {
  for (const root of document.body.children) render(null, root);
  document.body.replaceChildren();
  background.calls = [];
  background.fail = null;
});

describe('PartnerTabs', () => {
  it('asks for the active tab\'s partner tabs and shows nothing when there are none', async () => {
    const root = await show([]);
    expect(background.calls).toEqual([{ type: 'partnerTabs.list', payload: { tabId: 7 } }]);
    expect(root.innerHTML).toBe('');
  });

  it('stays hidden when the background cannot list them', async () => {
    background.fail = 'partnerTabs.list';
    const root = await show([parchment]);
    expect(root.innerHTML).toBe('');
  });

  it('lists each tab with its partner, patient, NHS number in 3-3-4 and state, and buttons named with the partner', async () => {
    const root = await show([parchment, pkb]);
    expect(root.querySelector('h2')?.textContent).toBe('popupPartnerTabsTitle');
    const items = [...root.querySelectorAll('ul > li')];
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain('Parchment: SMITH, John (943 476 5919)');
    expect(items[0]!.textContent).toContain('popupPartnerTabsMarked');
    expect(items[1]!.textContent).toContain('PKB: DOE, Jane (999 000 0018)');
    expect(items[1]!.textContent).toContain('popupPartnerTabsCurrent');
    const buttons = [...items[0]!.querySelectorAll('button')];
    expect(buttons.map((b) => b.getAttribute('aria-label'))).toEqual(['popupPartnerTabsSwitchLabel(Parchment,SMITH, John)', 'popupPartnerTabsCloseLabel(Parchment,SMITH, John)']);
    expect(buttons[1]!.className).toBe('secondary');
  });

  it('switches to a tab, closes one and lists them again after each', async () => {
    const root = await show([parchment, pkb]);
    await click(root.querySelector<HTMLButtonElement>('[data-partner-tab="42"] button')!);
    expect(background.calls.slice(1)).toEqual([
      { type: 'partnerTabs.focus', payload: { tabId: 42 } },
      { type: 'partnerTabs.list', payload: { tabId: 7 } },
    ]);
    await click(root.querySelector<HTMLButtonElement>('[data-partner-tab="41"] button.secondary')!);
    expect(background.calls.slice(3)).toEqual([
      { type: 'partnerTabs.close', payload: { tabId: 41 } },
      { type: 'partnerTabs.list', payload: { tabId: 7 } },
    ]);
    expect(root.querySelectorAll('ul > li')).toHaveLength(1);
  });

  it('says why an action failed', async () => {
    const root = await show([parchment]);
    background.fail = 'partnerTabs.focus';
    await click(root.querySelector<HTMLButtonElement>('[data-partner-tab="41"] button')!);
    expect(root.querySelector('[role="status"]')?.textContent).toBe('That tab is gone.');
  });
});
