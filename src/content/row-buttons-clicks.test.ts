// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';

vi.mock('../shared/runtime', () => ({ uiString: (key: string, subs: string[] = []) => `${key}${subs.length ? `(${subs.join(',')})` : ''}` }));

// happy-dom has no layout: the click checks are the browser's business (e2e); here they pass unless a test says not.
const guard = vi.hoisted(() => ({ refusal: null as null | 'covered' | 'faded' | 'top-layer' }));
vi.mock('./click-guard', () => ({
  guardClicks: () => ({ refusal: () => guard.refusal, visibility: { start() {}, stop() {}, verdict: async () => true }, dispose() {} }),
}));

const { createRowButtons } = await import('./row-buttons');
const { readRows } = await import('./detect-rows');
const { ehrProfileSchema } = await import('../shared/ehr-profile');

const profile = ehrProfileSchema.parse({
  name: 'list',
  rows: { selector: 'tr.pt', fields: { name: { selector: 'td:nth-child(1)' }, nhsNumber: { selector: 'td:nth-child(2)' }, birthDate: { selector: 'td:nth-child(3)' } }, anchor: { selector: 'td.actions' } },
});
const partners = [
  { id: 'parchment', label: 'Parchment', state: 'ready' as const },
  { id: 'kb', label: 'Knowledge base', state: 'ready' as const },
];

/** One row of John Smith with its buttons drawn; the row's closed shadow root kept open for the test. */
function johnsRow(callbacks: Parameters<typeof createRowButtons>[0]) {
  document.body.innerHTML = '<table><tbody><tr class="pt"><td>SMITH, John (Mr)</td><td>999 000 0018</td><td>12-Mar-1985</td><td class="actions"></td></tr></tbody></table>';
  const original = Element.prototype.attachShadow;
  let root: ShadowRoot | undefined;
  Element.prototype.attachShadow = function (init) {
    root = original.call(this, init);
    return root;
  };
  createRowButtons(callbacks).render(readRows(document, profile, new Date(2026, 10, 22)), { partners }, profile.rows!.anchor);
  Element.prototype.attachShadow = original;
  return { button: (id: string) => root!.querySelector(`button[data-partner="${id}"]`)!, status: () => root!.querySelector('.status')!.textContent };
}

function trustedClick(target: Element): void {
  const event = new MouseEvent('click', { bubbles: true, detail: 1 });
  Object.defineProperty(event, 'isTrusted', { value: true });
  target.dispatchEvent(event);
}

describe('list row buttons, clicked', () => {
  it("a second partner's click in the same row while the first is launching is launched too", async () => {
    guard.refusal = null;
    const onLaunch = vi.fn((partnerId: string) => (partnerId === 'parchment' ? new Promise<{ notice?: string }>(() => undefined) : Promise.resolve({})));
    const row = johnsRow({ onLaunch, onRefused: vi.fn() });
    trustedClick(row.button('parchment'));
    await vi.waitFor(() => expect(onLaunch).toHaveBeenCalledTimes(1));
    trustedClick(row.button('kb'));
    await vi.waitFor(() => expect(onLaunch).toHaveBeenCalledTimes(2));
    expect(onLaunch.mock.calls.map((call) => call[0])).toEqual(['parchment', 'kb']);
    // The first one again while it is still working: said, not started twice.
    trustedClick(row.button('parchment'));
    expect(row.status()).toBe('barWorking(Parchment)');
    expect(onLaunch).toHaveBeenCalledTimes(2);
  });

  it('a click the row refuses is reported, for the popup and the badge', () => {
    guard.refusal = 'covered';
    const onLaunch = vi.fn(async () => ({}));
    const onRefused = vi.fn();
    const row = johnsRow({ onLaunch, onRefused });
    trustedClick(row.button('kb'));
    expect(onRefused).toHaveBeenCalledWith('kb', 'covered');
    expect(onLaunch).not.toHaveBeenCalled();
    expect(row.status()).toBe('barRefused_covered');
  });
});
