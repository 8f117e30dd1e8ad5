// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';

vi.mock('webextension-polyfill', () => ({ default: { i18n: { getMessage: (key: string, subs: string[] = []) => `${key}${subs.length ? `(${subs.join(',')})` : ''}` } } }));

const { createLaunchBar } = await import('./launch-bar');

const JOHN = { nhsNumber: '9990000018', birthDate: '1985-03-12', name: { family: 'SMITH', given: 'John', prefix: 'Mr' } };
const ready = { id: 'pkb', label: 'Patients Know Best', state: 'ready' as const };

/** The bar's shadow root is closed; tests reach it the way the browser's accessibility tree would not need to. */
function openShadow() {
  const original = Element.prototype.attachShadow;
  let root: ShadowRoot | undefined;
  Element.prototype.attachShadow = function (init) {
    root = original.call(this, init);
    return root;
  };
  return {
    get root() {
      return root!;
    },
    restore: () => (Element.prototype.attachShadow = original),
  };
}

describe('launch bar', () => {
  it('a note arriving later keeps the same button elements, sits above them and describes the button', () => {
    const shadow = openShadow();
    const bar = createLaunchBar({ onLaunch: vi.fn(async () => ({})), onPrefetch: vi.fn() });
    shadow.restore();
    bar.render(JOHN, undefined, { partners: [ready] });
    const before = shadow.root.querySelector('button');
    bar.render(JOHN, undefined, { partners: [{ ...ready, hint: 'PKB holds data from other organisations.' }] });
    const after = shadow.root.querySelector('button')!;
    expect(after).toBe(before);
    const hint = shadow.root.querySelector('.hint')!;
    expect(hint.textContent).toBe('PKB holds data from other organisations.');
    expect(after.getAttribute('aria-describedby')).toBe(hint.id);
    // Above the buttons in document order, so a late note never pushes a bottom-anchored button.
    expect(hint.compareDocumentPosition(after) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    bar.render(JOHN, undefined, { partners: [ready] });
    expect(shadow.root.querySelector('.hint')).toBeNull();
    expect(after.hasAttribute('aria-describedby')).toBe(false);
  });

  it('ignores clicks that page script makes, and asks for a prefetch once on hover when the partner wants it', () => {
    const shadow = openShadow();
    const onLaunch = vi.fn(async () => ({}));
    const onPrefetch = vi.fn();
    const bar = createLaunchBar({ onLaunch, onPrefetch });
    shadow.restore();
    bar.render(JOHN, undefined, { partners: [{ ...ready, prefetchOnHover: true }] });
    const button = shadow.root.querySelector('button')!;
    button.click();
    button.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(onLaunch).not.toHaveBeenCalled();
    button.dispatchEvent(new Event('pointerenter'));
    button.dispatchEvent(new Event('focus'));
    expect(onPrefetch).toHaveBeenCalledTimes(1);
    expect(onPrefetch).toHaveBeenCalledWith('pkb', JOHN);
  });

  it('a pairing-needed button is marked disabled and says what to do', () => {
    const shadow = openShadow();
    const bar = createLaunchBar({ onLaunch: vi.fn(async () => ({})), onPrefetch: vi.fn() });
    shadow.restore();
    bar.render(JOHN, undefined, { partners: [{ ...ready, state: 'pairing-needed', message: 'Pair with Patients Know Best first.' }] });
    const button = shadow.root.querySelector('button')!;
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(button.title).toBe('Pair with Patients Know Best first.');
  });
});
