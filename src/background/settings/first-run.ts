import { browser } from '../../shared/browser-api';
import { effectiveState } from './settings';

/**
 * On a fresh install with nothing to go on (no configuration and no policy), open the options page on its
 * "Get started" card, so the administrator does not have to find the extension's settings first. A computer
 * managed by policy gets its configuration that way and opens nothing.
 */
export async function openGetStartedIfUnconfigured(): Promise<void> {
  const [state, managed] = await Promise.all([effectiveState({ fresh: true }), browser.storage.managed.get().catch(() => ({}))]);
  // Any policy at all (even secrets only) means the organisation manages this computer.
  if (state.policyPresent || Object.keys(managed).length > 0 || state.config.ehrSites.length > 0 || state.config.partners.length > 0) return;
  await browser.tabs.create({ url: browser.runtime.getURL('src/options/index.html#get-started') });
}
