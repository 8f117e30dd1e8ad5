import { browser } from '../../shared/browser-api';
import detectorScript from '../../content/content-script.ts?script&iife';
import frameReaderScript from '../../content/frame-reader.ts?script&iife';
import type { Config } from '../../shared/config';
import { matchPatternFor } from '../../shared/host-access';
import { bannerFrameOrigins } from '../../shared/site-profile';

const SCRIPT_ID = 'ehr-launchpad-detector';
const FRAME_READER_ID = 'ehr-launchpad-banner-frame-reader';

/**
 * The content script runs only on the EHR origins the configuration names, registered at run time so a trust
 * can add its EHR without a new release; the banner frame reader only in frames of the origins their profiles
 * name. Pages without host permission are skipped by the browser.
 */
export function syncContentScripts(config: Config): Promise<void> {
  // One registration at a time: an import and the storage change it causes both ask for one.
  const run = queue.then(() => register(config));
  queue = run.catch(() => undefined);
  return run;
}

let queue: Promise<void> = Promise.resolve();

async function register(config: Config): Promise<void> {
  const matches = [...new Set(config.ehrSites.map((site) => matchPatternFor(site.origin)))];
  const frameMatches = [...new Set(bannerFrameOrigins(config).map(matchPatternFor))];
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID, FRAME_READER_ID] });
  if (existing.length > 0) await browser.scripting.unregisterContentScripts({ ids: existing.map((script) => script.id) });
  const scripts: chrome.scripting.RegisteredContentScript[] = [];
  if (matches.length > 0) {
    scripts.push({ id: SCRIPT_ID, js: [detectorScript], matches, runAt: 'document_idle', allFrames: false, persistAcrossSessions: true });
  }
  if (matches.length > 0 && frameMatches.length > 0) {
    // In every frame of those origins: the reader itself stays idle unless it is a direct child of an EHR page.
    scripts.push({ id: FRAME_READER_ID, js: [frameReaderScript], matches: frameMatches, runAt: 'document_idle', allFrames: true, persistAcrossSessions: true });
  }
  if (scripts.length > 0) await browser.scripting.registerContentScripts(scripts);
}
