// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { browserApi } from './browser-api';

const chromeNamespace = { runtime: { id: 'chromium-id' } };

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe('the browser API in use', () => {
  it("is Chromium's chrome when there is no browser namespace", () => {
    vi.stubGlobal('chrome', chromeNamespace);
    expect(browserApi()).toBe(chromeNamespace);
  });

  it("is Firefox's own browser namespace where there is one", () => {
    const firefox = { runtime: { id: 'firefox-id' } };
    vi.stubGlobal('chrome', chromeNamespace);
    vi.stubGlobal('browser', firefox);
    expect(browserApi()).toBe(firefox);
  });

  it('is never an element of the page named "browser", even one with a runtime.id', () => {
    vi.stubGlobal('chrome', chromeNamespace);
    const form = document.createElement('form');
    const input = document.createElement('input');
    input.name = 'runtime';
    input.id = 'planted';
    form.append(input);
    document.body.append(form);
    // What a named element is on the window: the form itself, whose `runtime` is the input.
    vi.stubGlobal('browser', form);
    expect((form as unknown as { runtime: { id: string } }).runtime.id).toBe('planted');
    expect(browserApi()).toBe(chromeNamespace);
  });

  it('is not an object that merely looks like a namespace without a runtime id', () => {
    vi.stubGlobal('chrome', chromeNamespace);
    vi.stubGlobal('browser', { runtime: {} });
    expect(browserApi()).toBe(chromeNamespace);
  });
});
