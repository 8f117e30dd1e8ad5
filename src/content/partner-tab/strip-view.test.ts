// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StripContent } from '../../shared/partner-tabs';

vi.mock('../../shared/runtime', () => ({ uiString: (key: string, subs: string[] = []) => `${key}${subs.length ? `(${subs.join(',')})` : ''}` }));
// happy-dom has no layout: whether the strip is under the click is the browser's business; here a test says.
const guard = vi.hoisted(() => ({ refusal: null as null | 'covered' }));
vi.mock('../click-guard', () => ({ clickPoint: () => ({ clientX: 0, clientY: 0 }), clickRefusal: () => guard.refusal }));

const { createStripView } = await import('./strip-view');

const HOSTILE = '<img src=x onerror="alert(1)">, John';
const content: StripContent = {
  partnerLabel: 'Parchment',
  was: { name: HOSTILE, nhsNumber: '9434765919' },
  trigger: 'patient-changed',
  now: { name: 'DOE, <b>Jane</b>', nhsNumber: '9990000018', fingerprint: 'fp-jane' },
};

/** The shadow root is closed; the test keeps hold of it as it is made. */
let root: ShadowRoot | undefined;
const original = Element.prototype.attachShadow;
beforeEach(() => {
  guard.refusal = null;
  Element.prototype.attachShadow = function (init) {
    root = original.call(this, init);
    return root;
  };
});
afterEach(() => {
  Element.prototype.attachShadow = original;
});

function click(button: HTMLButtonElement, trusted: boolean): void {
  const event = new MouseEvent('click', { bubbles: true, detail: 1 });
  Object.defineProperty(event, 'isTrusted', { value: trusted });
  button.dispatchEvent(event);
}

const buttonsOf = () => [...root!.querySelectorAll('button')];

describe('createStripView', () => {
  it('builds a closed shadow root with an alert box that sets no focus', () => {
    const view = createStripView({ onAct: vi.fn(), onCovered: vi.fn() });
    view.render(content);
    expect(view.host.shadowRoot).toBeNull();
    expect(view.box.getAttribute('role')).toBe('alert');
    expect(root!.activeElement ?? null).toBeNull();
  });

  it('puts names in as text: nothing from them becomes an element', () => {
    const view = createStripView({ onAct: vi.fn(), onCovered: vi.fn() });
    view.render(content);
    expect(view.box.querySelector('img, b')).toBeNull();
    expect(view.box.textContent).toContain(`stripOpenedFor(${HOSTILE},943 476 5919)`);
    expect(view.box.textContent).toContain('stripNowShows(DOE, <b>Jane</b>,999 000 0018)');
    expect(buttonsOf().map((b) => b.textContent)).toEqual(['stripOpenHere(DOE, <b>Jane</b>)', 'stripCloseTab', 'stripKeep']);
    expect(buttonsOf().every((b) => b.type === 'button')).toBe(true);
  });

  it('has no "open here" button when there is nobody to open', () => {
    const view = createStripView({ onAct: vi.fn(), onCovered: vi.fn() });
    view.render({ ...content, trigger: 'ehr-closed', now: null });
    expect(buttonsOf().map((b) => b.textContent)).toEqual(['stripCloseTab', 'stripKeep']);
    expect(view.box.textContent).toContain('stripEhrClosed');
  });

  it('ignores clicks the browser did not mark as trusted', () => {
    const onAct = vi.fn(async () => undefined);
    const view = createStripView({ onAct, onCovered: vi.fn() });
    view.render(content);
    for (const button of buttonsOf()) click(button, false);
    expect(onAct).not.toHaveBeenCalled();
  });

  it('acts on a trusted click, and takes no other click until the answer', async () => {
    let answer!: () => void;
    const onAct = vi.fn(() => new Promise<void>((resolve) => (answer = resolve)));
    const view = createStripView({ onAct, onCovered: vi.fn() });
    view.render(content);
    const [openHere, close] = buttonsOf();
    click(openHere!, true);
    expect(onAct).toHaveBeenCalledWith('open-here', content);
    expect(buttonsOf().every((b) => b.getAttribute('aria-disabled') === 'true')).toBe(true);
    expect(view.box.querySelector('.status')!.textContent).toBe('stripWorking');
    click(close!, true);
    expect(onAct).toHaveBeenCalledTimes(1);
    answer();
    await Promise.resolve();
    await Promise.resolve();
    expect(buttonsOf().every((b) => b.getAttribute('aria-disabled') === 'false')).toBe(true);
    click(close!, true);
    expect(onAct).toHaveBeenLastCalledWith('close', content);
  });

  it('does nothing on a click the page was covering, and says so', () => {
    const onAct = vi.fn(async () => undefined);
    const onCovered = vi.fn();
    const view = createStripView({ onAct, onCovered });
    view.render(content);
    guard.refusal = 'covered';
    click(buttonsOf()[2]!, true);
    expect(onAct).not.toHaveBeenCalled();
    expect(onCovered).toHaveBeenCalledTimes(1);
    expect(view.box.querySelector('.status')!.textContent).toBe('stripCovered');
  });

  it('shows a message as text', () => {
    const view = createStripView({ onAct: vi.fn(), onCovered: vi.fn() });
    view.render(content);
    view.status('<i>refused</i>');
    expect(view.box.querySelector('i')).toBeNull();
    expect(view.box.querySelector('.status')!.textContent).toBe('<i>refused</i>');
  });
});
