import { browser } from '../../shared/browser-api';
/**
 * Closes the extension's storage to content scripts. By default a content script may read and write
 * storage.local, where the configuration, the clinician profile, sealed secrets and pairings are kept: a
 * compromised renderer of an EHR page could then re-point a partner or change whom launches are for. The
 * content scripts here never use storage (everything they need comes in messages), so local and session are
 * set to trusted contexts only: the worker and the extension's own pages. Chromium keeps the setting; it is
 * set at every start so an install that missed it (an older browser then updated) gets it.
 *
 * Where the browser refuses (Firefox ESR has no setAccessLevel for either area), the second line holds: sealed
 * secrets and refresh tokens are bound to the partner's addresses (seal-binding.ts), so a changed address
 * cannot send them anywhere.
 */

export type AreaAccess = 'trusted-only' | 'open-to-content-scripts';

export interface StorageTrust {
  local: AreaAccess;
  session: AreaAccess;
}

type Area = { setAccessLevel?: (options: { accessLevel: 'TRUSTED_CONTEXTS' }) => Promise<void> };

async function close(area: Area | undefined): Promise<AreaAccess> {
  try {
    if (!area?.setAccessLevel) return 'open-to-content-scripts';
    await area.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' });
    return 'trusted-only';
  } catch {
    return 'open-to-content-scripts';
  }
}

let applied: Promise<StorageTrust> | undefined;

/** Sets both areas to trusted contexts once per worker start; answers what the browser accepted. */
export function closeStorageToContentScripts(storage: { local?: Area; session?: Area } = browser.storage as never): Promise<StorageTrust> {
  applied ??= Promise.all([close(storage.local), close(storage.session)]).then(([local, session]) => ({ local, session }));
  return applied;
}
