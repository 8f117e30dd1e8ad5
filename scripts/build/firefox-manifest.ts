/**
 * The Firefox build's manifest, from the one manifest.json the Chromium build uses. Firefox ESR runs the same
 * background module as an event page (it has no `background.service_worker`), needs an add-on id of its own,
 * and warns about keys it does not know. What each difference means for a deployment: docs/deployment.md.
 */

/** The add-on id: policies.json, signing and the redirect host (SHA-1 of it at extensions.allizom.org) name it. Never change it. */
export const GECKO_ID = 'ehr-launchpad@ehr-launchpad';
/** The oldest Firefox ESR this build is tested on (the e2e suite runs in Debian's firefox-esr: 140 and 153 so far). */
export const GECKO_MIN_VERSION = '140.0';

type Manifest = Record<string, unknown> & { background?: { service_worker?: string; type?: string } };

/** Keys only Chromium reads: `key` fixes the Chromium extension id; Firefox takes its managed storage schema-less. */
const CHROMIUM_ONLY = ['key', 'minimum_chrome_version', 'storage'] as const;

export function firefoxManifest(chromium: Manifest): Manifest {
  const manifest: Manifest = structuredClone(chromium);
  for (const key of CHROMIUM_ONLY) delete manifest[key];
  const worker = chromium.background?.service_worker;
  if (!worker) throw new Error('manifest.json names no background.service_worker to run as the Firefox event page');
  manifest.background = { scripts: [worker], type: 'module' } as Manifest['background'];
  manifest.browser_specific_settings = {
    gecko: {
      id: GECKO_ID,
      strict_min_version: GECKO_MIN_VERSION,
      // The patient's NHS number, name and date of birth go to the partner the clinician launches (health and
      // personally identifying information), and nothing to us: Firefox shows this at install.
      data_collection_permissions: { required: ['healthInfo', 'personallyIdentifyingInfo'] },
    },
    // Not a target (EHRs run on desktops), but said: Firefox for Android reads data_collection_permissions from 142.
    gecko_android: { strict_min_version: '142.0' },
  };
  return manifest;
}
