import { beforeEach, describe, expect, it, vi } from 'vitest';

const api = vi.hoisted(() => ({
  action: { openPopup: vi.fn(async (_options?: { windowId: number }) => undefined) },
  commands: { getAll: vi.fn(async () => [{ name: '_execute_action', shortcut: 'Ctrl+Shift+E' }]) },
}));
vi.mock('../../shared/browser-api', () => ({ browser: api }));

const { openMenu } = await import('./open-menu');

describe('openMenu', () => {
  beforeEach(() => vi.clearAllMocks());

  it('opens the popup in the window of the tab whose bar asked', async () => {
    await expect(openMenu(7)).resolves.toEqual({ opened: true });
    expect(api.action.openPopup).toHaveBeenCalledWith({ windowId: 7 });
  });

  it('answers the shortcut as the browser has it when the popup cannot be opened', async () => {
    api.action.openPopup.mockRejectedValueOnce(new Error('not supported'));
    await expect(openMenu(7)).resolves.toEqual({ opened: false, shortcut: 'Ctrl+Shift+E' });
  });

  it('answers no shortcut when the clinician removed it', async () => {
    api.action.openPopup.mockRejectedValueOnce(new Error('not supported'));
    api.commands.getAll.mockResolvedValueOnce([{ name: '_execute_action', shortcut: '' }]);
    await expect(openMenu(-1)).resolves.toEqual({ opened: false });
    expect(api.action.openPopup).toHaveBeenCalledWith(undefined);
  });
});
