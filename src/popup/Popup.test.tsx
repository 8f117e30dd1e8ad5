// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';

vi.mock('../shared/runtime', () => ({ uiString: (key: string) => key }));
vi.mock('../shared/browser-api', () => ({ browser: { tabs: { query: async () => [] }, runtime: { getURL: (path: string) => path } } }));
// The background has not answered yet.
vi.mock('../shared/messaging', () => ({ sendToBackground: vi.fn(() => new Promise(() => undefined)) }));

const { Popup } = await import('./Popup');

describe('the popup while its status loads', () => {
  it('says it is loading, as a status, not only the heading', async () => {
    const root = document.createElement('div');
    document.body.append(root);
    await act(() => render(<Popup />, root));
    await act(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
    const loading = root.querySelector('[data-testid="popup-loading"]')!;
    expect(loading.getAttribute('role')).toBe('status');
    expect(loading.textContent).toBe('popupLoading');
  });
});
