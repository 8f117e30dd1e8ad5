// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { MessageError, type sendToBackground } from '../../shared/messaging';
import type { StripContent } from '../../shared/partner-tabs';

vi.mock('../../shared/runtime', () => ({ uiString: (key: string) => key }));
vi.mock('../click-guard', () => ({ clickPoint: () => ({ clientX: 0, clientY: 0 }), clickRefusal: () => null }));

const { createStrip } = await import('./strip-controller');

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

const content: StripContent = {
  partnerLabel: 'Parchment',
  was: { name: 'SMITH, John', nhsNumber: '9434765919' },
  trigger: 'patient-changed',
  now: { name: 'DOE, Jane', nhsNumber: '9990000018', fingerprint: 'fp-jane' },
};

let root: ShadowRoot | undefined;
const original = Element.prototype.attachShadow;
let send: Mock<(type: string, payload?: unknown) => Promise<unknown>>;
beforeEach(() => {
  document.title = 'Parchment';
  send = vi.fn(async () => ({}));
  Element.prototype.attachShadow = function (init) {
    root = original.call(this, init);
    return root;
  };
});
afterEach(() => {
  Element.prototype.attachShadow = original;
  document.querySelector('ehr-launchpad-strip')?.remove();
});

const host = () => document.querySelector('ehr-launchpad-strip');
function click(label: string): void {
  const button = [...root!.querySelectorAll('button')].find((b) => b.textContent === label)!;
  const event = new MouseEvent('click', { bubbles: true, detail: 1 });
  Object.defineProperty(event, 'isTrusted', { value: true });
  button.dispatchEvent(event);
}

describe('createStrip', () => {
  it('shows on the document element with the title warning, and goes away with it', () => {
    const strip = createStrip(document, send as unknown as typeof sendToBackground);
    strip.show(content);
    expect(host()?.parentNode).toBe(document.documentElement);
    expect(document.title).toBe('⚠ Parchment');
    strip.show(null);
    expect(host()).toBeNull();
    expect(document.title).toBe('Parchment');
  });

  it('puts itself back when removed, reporting at most once a second', async () => {
    const strip = createStrip(document, send as unknown as typeof sendToBackground);
    strip.show(content);
    host()!.remove();
    await settled();
    const again = document.querySelector('ehr-launchpad-strip')!;
    expect(again.parentNode).toBe(document.documentElement);
    again.remove();
    await settled();
    expect(host()).not.toBeNull();
    expect(send.mock.calls.filter(([type]) => type === 'strip.tampered')).toEqual([['strip.tampered', { what: 'removed' }]]);
    strip.show(null);
  });

  it('reports a title whose warning was taken off', async () => {
    const strip = createStrip(document, send as unknown as typeof sendToBackground);
    strip.show(content);
    document.title = 'Parchment';
    await settled();
    expect(document.title).toBe('⚠ Parchment');
    expect(send).toHaveBeenCalledWith('strip.tampered', { what: 'title' });
    strip.show(null);
  });

  it('sends the fingerprint of the patient the button named', async () => {
    const strip = createStrip(document, send as unknown as typeof sendToBackground);
    strip.show(content);
    click('stripOpenHere');
    await settled();
    expect(send).toHaveBeenCalledWith('strip.act', { action: 'open-here', fingerprint: 'fp-jane' });
    click('stripCloseTab');
    await settled();
    expect(send).toHaveBeenLastCalledWith('strip.act', { action: 'close' });
    strip.show(null);
  });

  it('goes away once the clinician chose to keep the tab', async () => {
    const strip = createStrip(document, send as unknown as typeof sendToBackground);
    strip.show(content);
    click('stripKeep');
    await settled();
    expect(send).toHaveBeenCalledWith('strip.act', { action: 'keep' });
    expect(host()).toBeNull();
    expect(document.title).toBe('Parchment');
  });

  it("shows the background's refusal, as text, and stays", async () => {
    send.mockImplementation(async (type: string) => {
      if (type === 'strip.act') throw new MessageError('refused', 'The EHR no longer shows DOE, Jane.');
      return {};
    });
    const strip = createStrip(document, send as unknown as typeof sendToBackground);
    strip.show(content);
    click('stripKeep');
    await settled();
    expect(root!.querySelector('.status')!.textContent).toBe('The EHR no longer shows DOE, Jane.');
    expect(host()).not.toBeNull();
    strip.show(null);
  });

  it('does not draw again for the same content', () => {
    const strip = createStrip(document, send as unknown as typeof sendToBackground);
    strip.show(content);
    const box = root!.querySelector('.box')!;
    const first = box.firstElementChild;
    strip.show({ ...content });
    expect(box.firstElementChild).toBe(first);
    strip.show({ ...content, trigger: 'ehr-closed', now: null });
    expect(box.firstElementChild).not.toBe(first);
    strip.show(null);
  });
});
