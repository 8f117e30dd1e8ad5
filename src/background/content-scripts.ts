import detectorScript from '../content/content-script.ts?script&iife';
import type { Config } from '../shared/config';
import { matchPatternFor } from '../shared/host-access';

const SCRIPT_ID = 'ehr-launchpad-detector';


/**
 * The content script runs only on the EHR origins the configuration names, registered at run time so a trust
 * can add its EHR without a new release. Pages without host permission are skipped by the browser.
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
  const existing = await chrome.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  if (existing.length > 0) await chrome.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
  if (matches.length === 0) return;
  await chrome.scripting.registerContentScripts([
    { id: SCRIPT_ID, js: [detectorScript], matches, runAt: 'document_idle', allFrames: false, persistAcrossSessions: true },
  ]);
}
