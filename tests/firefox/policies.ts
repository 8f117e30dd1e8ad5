import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GECKO_ID } from '../sandbox/redirect-uris';
import type { FirefoxOptions } from './firefox-launcher';

/**
 * Enterprise policy for one Firefox profile, without touching /etc or the installation's distribution folder.
 *
 * Firefox reads policies.json once, at start-up. The pref browser.policies.alternatePath points it at another
 * file, but Firefox ESR honours that pref only "in automation" (EnterprisePoliciesParent.sys.mjs checks
 * Cu.isInAutomation, or a Nightly build) and only when no system policies.json exists. In automation means
 * both the pref security.turn_off_all_security_so_that_viruses_can_take_over_this_computer and the
 * environment variable MOZ_DISABLE_NONLOCAL_CONNECTIONS=1; with either missing, ESR 153 ignores the file
 * (checked: storage.managed then answers "Managed storage manifest not found"). Non-local connections being
 * off is harmless here: the sandbox is on 127.0.0.1.
 */

/** policies.json as an administrator writes it: the extension's managed storage under 3rdparty.Extensions. */
export function firefoxPoliciesDocument(managed: Record<string, unknown>, addonId = GECKO_ID) {
  return { policies: { '3rdparty': { Extensions: { [addonId]: managed } } } };
}

export interface PolicyFile {
  path: string;
  /** Launcher options that make Firefox read this file: merge into launchFirefox's options. */
  launchOptions: Pick<FirefoxOptions, 'prefs' | 'env'>;
  remove(): Promise<void>;
}

/** Writes policies.json for the extension's managed storage into a fresh folder and answers how to launch with it. */
export async function writeFirefoxPolicies(managed: Record<string, unknown>): Promise<PolicyFile> {
  const dir = await mkdtemp(join(tmpdir(), 'ehr-launchpad-firefox-policies-'));
  const path = join(dir, 'policies.json');
  await writeFile(path, JSON.stringify(firefoxPoliciesDocument(managed), null, 2));
  return {
    path,
    launchOptions: {
      prefs: {
        'browser.policies.alternatePath': path,
        'security.turn_off_all_security_so_that_viruses_can_take_over_this_computer': true,
      },
      env: { MOZ_DISABLE_NONLOCAL_CONNECTIONS: '1' },
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
