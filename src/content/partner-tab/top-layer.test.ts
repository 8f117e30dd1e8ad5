// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keepOnTop, type TopLayer } from './top-layer';

/**
 * happy-dom has no top layer: these tests keep one (last on top), with the popover calls and the :modal and
 * :popover-open states the browser would give.
 */
let layer: Element[] = [];
let modal = new Set<Element>();
const proto = HTMLElement.prototype as Partial<Pick<HTMLElement, 'showPopover' | 'hidePopover'>>;
const originalMatches = Element.prototype.matches;
const originalQuery = Document.prototype.querySelectorAll;

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));
const top = () => layer[layer.length - 1];

function openModal(element: Element): void {
  element.setAttribute('open', '');
  modal.add(element);
  layer.push(element);
}

function closeModal(element: Element): void {
  element.removeAttribute('open');
  modal.delete(element);
  layer = layer.filter((e) => e !== element);
}

function toggle(target: Element, newState: 'open' | 'closed'): void {
  target.dispatchEvent(Object.assign(new Event('toggle'), { newState }));
}

function setFullscreen(element: Element | null): void {
  Object.defineProperty(document, 'fullscreenElement', { value: element, configurable: true });
  if (element) {
    modal.add(element);
    layer.push(element);
  } else {
    for (const e of modal) if (e.localName !== 'dialog') modal.delete(e);
  }
  document.dispatchEvent(new Event('fullscreenchange'));
}

let host: HTMLElement;
let watch: TopLayer | undefined;

beforeEach(() => {
  layer = [];
  modal = new Set();
  proto.showPopover = function (this: HTMLElement) {
    if (!this.isConnected || layer.includes(this)) throw new DOMException('no', 'InvalidStateError');
    layer.push(this);
  };
  proto.hidePopover = function (this: HTMLElement) {
    layer = layer.filter((e) => e !== this);
  };
  Element.prototype.matches = function (this: Element, selector: string) {
    if (selector === ':popover-open') return this.getAttribute('popover') === 'manual' && layer.includes(this);
    if (selector === ':modal') return modal.has(this);
    return originalMatches.call(this, selector);
  } as Element['matches'];
  vi.spyOn(document, 'querySelectorAll').mockImplementation(((selector: string) => {
    if (selector === ':modal') return [...modal].filter((e) => e.isConnected);
    return originalQuery.call(document, selector);
  }) as Document['querySelectorAll']);
  host = document.createElement('ehr-launchpad-strip');
  document.documentElement.append(host);
});

afterEach(() => {
  watch?.stop();
  watch = undefined;
  delete proto.showPopover;
  delete proto.hidePopover;
  Element.prototype.matches = originalMatches;
  vi.restoreAllMocks();
  Reflect.deleteProperty(document, 'fullscreenElement');
  host.remove();
  document.body.replaceChildren();
  vi.useRealTimers();
});

function start(focusInside?: () => HTMLElement | null, now?: () => number): TopLayer {
  watch = keepOnTop(document, host, focusInside, now);
  watch.start();
  return watch;
}

describe('keepOnTop', () => {
  it('shows the host as a manual popover, without taking focus from the page', () => {
    const input = document.createElement('input');
    document.body.append(input);
    input.focus();
    start();
    expect(host.getAttribute('popover')).toBe('manual');
    expect(top()).toBe(host);
    expect(document.activeElement).toBe(input);
  });

  it('moves into a modal dialog the page opens, above it, and out again when it closes', async () => {
    start();
    const dialog = document.createElement('dialog');
    document.body.append(dialog);
    openModal(dialog);
    await settled();
    // Outside the modal dialog the host would be inert: seen, but neither clickable nor read out.
    expect(host.parentNode).toBe(dialog);
    expect(top()).toBe(host);
    expect(watch!.home()).toBe(dialog);
    closeModal(dialog);
    await settled();
    expect(host.parentNode).toBe(document.documentElement);
    expect(top()).toBe(host);
  });

  it('stays in the modal dialog opened last', async () => {
    const first = document.createElement('dialog');
    const second = document.createElement('dialog');
    document.body.append(second, first);
    start();
    openModal(first);
    await settled();
    openModal(second);
    await settled();
    expect(host.parentNode).toBe(second);
    expect(top()).toBe(host);
  });

  it('is shown again above a popover or dialog that says it opened', () => {
    start();
    const popover = document.createElement('div');
    document.body.append(popover);
    layer.push(popover);
    toggle(popover, 'open');
    expect(top()).toBe(host);
    expect(host.parentNode).toBe(document.documentElement);
    // A popover closing changes nothing.
    const before = [...layer];
    toggle(popover, 'closed');
    expect(layer).toEqual(before);
  });

  it('is shown again when the page hides it or changes its popover type', async () => {
    start();
    host.hidePopover();
    toggle(host, 'closed');
    expect(top()).toBe(host);
    host.hidePopover();
    host.setAttribute('popover', 'auto');
    await settled();
    expect(host.getAttribute('popover')).toBe('manual');
    expect(top()).toBe(host);
  });

  it('goes above a fullscreen element, inside it unless its children are not drawn', () => {
    start();
    const video = document.createElement('video');
    document.body.append(video);
    setFullscreen(video);
    expect(top()).toBe(host);
    expect(host.parentNode).toBe(document.documentElement);
    setFullscreen(null);
    const div = document.createElement('div');
    document.body.append(div);
    setFullscreen(div);
    expect(host.parentNode).toBe(div);
    expect(top()).toBe(host);
  });

  it('slows down against a page that raises its own popover in a loop', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    start(undefined, () => 0);
    const popover = document.createElement('div');
    document.body.append(popover);
    const fight = () => {
      layer = [...layer.filter((e) => e !== popover), popover];
      toggle(popover, 'open');
    };
    for (let i = 0; i < 10; i++) fight();
    expect(top()).toBe(host);
    fight();
    expect(top()).toBe(popover);
    vi.advanceTimersByTime(250);
    expect(top()).toBe(host);
  });

  it('gives keyboard focus back to our element it had before a raise', () => {
    const ours = document.createElement('button');
    const focus = vi.spyOn(ours, 'focus');
    let focused: HTMLElement | null = ours;
    start(() => focused);
    const dialog = document.createElement('dialog');
    document.body.append(dialog);
    // Moving the host into the dialog drops the focus inside it.
    host.hidePopover = function (this: HTMLElement) {
      focused = null;
      layer = layer.filter((e) => e !== this);
    };
    openModal(dialog);
    watch!.raise();
    expect(focus).toHaveBeenCalledWith({ preventScroll: true });
  });

  it('lets go when stopped', async () => {
    start();
    watch!.stop();
    expect(layer).not.toContain(host);
    const dialog = document.createElement('dialog');
    document.body.append(dialog);
    openModal(dialog);
    await settled();
    expect(host.parentNode).toBe(document.documentElement);
  });

  it('without the Popover API, stays a plain element and is raised by moving it last', () => {
    delete proto.showPopover;
    delete proto.hidePopover;
    start();
    expect(host.hasAttribute('popover')).toBe(false);
    const other = document.createElement('div');
    document.documentElement.append(other);
    watch!.raise();
    expect(document.documentElement.lastElementChild).toBe(host);
    expect(watch!.home()).toBe(document.documentElement);
  });
});
