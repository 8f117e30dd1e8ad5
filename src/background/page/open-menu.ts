import { browser } from '../../shared/browser-api';

/** The popup's command in the manifest: its shortcut is what the clinician can press instead. */
const POPUP_COMMAND = '_execute_action';

/** The shortcut that opens the popup as the browser has it now (the clinician may have changed or removed it). */
async function popupShortcut(): Promise<string | undefined> {
  const commands = await browser.commands.getAll().catch(() => []);
  return commands.find((command) => command.name === POPUP_COMMAND)?.shortcut || undefined;
}

/**
 * Opens the toolbar popup for the bar's "Open EHR Launchpad" button: the toolbar icon may be out of sight under
 * the browser's extensions menu. Chromium before 127 (and a window without focus) refuses; the bar then names
 * the shortcut.
 */
export async function openMenu(windowId: number): Promise<{ opened: boolean; shortcut?: string }> {
  try {
    await browser.action.openPopup(windowId >= 0 ? { windowId } : undefined);
    return { opened: true };
  } catch {
    const shortcut = await popupShortcut();
    return shortcut ? { opened: false, shortcut } : { opened: false };
  }
}
