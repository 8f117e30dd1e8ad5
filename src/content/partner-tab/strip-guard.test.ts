// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keepAttached, watchVisibility } from './strip-guard';

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('keepAttached', () => {
  let host: HTMLElement;
  beforeEach(() => {
    host = document.createElement('ehr-launchpad-strip');
  });
  afterEach(() => host.remove());

  it('puts the host back at once when the page takes it out, and says so', async () => {
    const onRemoved = vi.fn();
    const watch = keepAttached(document, host, { onRemoved, onDocumentChanged: () => undefined });
    watch.start();
    expect(host.parentNode).toBe(document.documentElement);
    host.remove();
    await settled();
    expect(host.parentNode).toBe(document.documentElement);
    expect(onRemoved).toHaveBeenCalledTimes(1);
    // Moved somewhere else in the page is as good as removed.
    document.body.append(host);
    await settled();
    expect(host.parentNode).toBe(document.documentElement);
    expect(onRemoved).toHaveBeenCalledTimes(2);
    watch.stop();
  });

  it('does not count its own moves, and lets go when stopped', async () => {
    const onRemoved = vi.fn();
    const watch = keepAttached(document, host, { onRemoved, onDocumentChanged: () => undefined });
    watch.start();
    document.documentElement.append(host);
    await settled();
    expect(onRemoved).not.toHaveBeenCalled();
    watch.stop();
    expect(host.isConnected).toBe(false);
    document.documentElement.append(host);
    host.remove();
    await settled();
    expect(host.isConnected).toBe(false);
    expect(onRemoved).not.toHaveBeenCalled();
  });

  it('keeps the host in its home, and a home taken away with the host in it is no removal', async () => {
    const dialog = document.createElement('dialog');
    document.body.append(dialog);
    let home: Element = dialog;
    const onRemoved = vi.fn();
    const watch = keepAttached(document, host, { onRemoved, onDocumentChanged: () => undefined, home: () => home });
    watch.start();
    expect(host.parentNode).toBe(dialog);
    // The page redraws its dialog's content, the host with it: put back there, quietly (an ordinary re-render
    // must not count towards closing the tab).
    dialog.replaceChildren(document.createElement('p'));
    await settled();
    expect(host.parentNode).toBe(dialog);
    expect(onRemoved).not.toHaveBeenCalled();
    // Moved elsewhere in the page from the dialog: that is no re-render, and is reported.
    document.body.append(host);
    await settled();
    expect(host.parentNode).toBe(dialog);
    expect(onRemoved).toHaveBeenCalledTimes(1);
    // The page closes and removes its dialog, the host still in it: back home, quietly.
    home = document.documentElement;
    dialog.remove();
    await settled();
    expect(host.parentNode).toBe(document.documentElement);
    expect(onRemoved).toHaveBeenCalledTimes(1);
    watch.stop();
  });

  it('slows down against a page that removes it in a loop', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const watch = keepAttached(document, host, { onRemoved: () => undefined, onDocumentChanged: () => undefined, now: () => 0 });
      watch.start();
      for (let i = 0; i < 10; i++) {
        host.remove();
        await Promise.resolve();
        await Promise.resolve();
      }
      expect(host.isConnected).toBe(true);
      host.remove();
      await Promise.resolve();
      await Promise.resolve();
      expect(host.isConnected).toBe(false);
      vi.advanceTimersByTime(250);
      expect(host.isConnected).toBe(true);
      watch.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('watchVisibility', () => {
  type Callback = (entries: Partial<IntersectionObserverEntry & { isVisible: boolean }>[]) => void;
  let callback: Callback | undefined;
  let options: (IntersectionObserverInit & { trackVisibility?: boolean; delay?: number }) | undefined;
  const disconnect = vi.fn();

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    vi.stubGlobal(
      'IntersectionObserver',
      class {
        constructor(cb: Callback, init: typeof options) {
          callback = cb;
          options = init;
        }
        observe() {}
        disconnect() {
          disconnect();
        }
      },
    );
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('asks the browser for its visibility verdict', () => {
    watchVisibility(document.body, () => undefined).start();
    expect(options).toMatchObject({ trackVisibility: true, delay: 100 });
  });

  it('reports once when the strip has not been visible for a second', () => {
    const onHidden = vi.fn();
    watchVisibility(document.body, onHidden).start();
    callback!([{ isVisible: false }]);
    vi.advanceTimersByTime(999);
    expect(onHidden).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onHidden).toHaveBeenCalledTimes(1);
    callback!([{ isVisible: false }]);
    vi.advanceTimersByTime(5000);
    expect(onHidden).toHaveBeenCalledTimes(1);
    // Seen again, then hidden again: a new spell.
    callback!([{ isVisible: true }]);
    callback!([{ isVisible: false }]);
    vi.advanceTimersByTime(1000);
    expect(onHidden).toHaveBeenCalledTimes(2);
  });

  it('does not report a short cover, nor after it stopped', () => {
    const onHidden = vi.fn();
    const watch = watchVisibility(document.body, onHidden);
    watch.start();
    callback!([{ isVisible: false }]);
    vi.advanceTimersByTime(500);
    callback!([{ isVisible: true }]);
    vi.advanceTimersByTime(2000);
    callback!([{ isVisible: false }]);
    watch.stop();
    vi.advanceTimersByTime(2000);
    expect(onHidden).not.toHaveBeenCalled();
    expect(disconnect).toHaveBeenCalled();
  });

  it('reports nothing where the browser gives no verdict', () => {
    const onHidden = vi.fn();
    watchVisibility(document.body, onHidden).start();
    callback!([{ isIntersecting: true }]);
    vi.advanceTimersByTime(2000);
    expect(onHidden).not.toHaveBeenCalled();
  });
});
