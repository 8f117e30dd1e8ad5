import { browser } from '../shared/browser-api';
import type { Config } from '../shared/config';
import type { LockableSetting } from '../shared/effective-config';
import { sendToBackground } from '../shared/messaging';
import { importConfigDocument } from './import-config';

/** What the options page shows: the configuration in force, the user's own document, and what policy does. */
export interface ConfigView {
  config: Config;
  user: Config;
  locked: LockableSetting[];
  fromPolicy: { partners: string[]; ehrSites: string[]; fields: string[] };
  policyPresent: boolean;
  secretsSet: Record<string, string[]>;
  secretsByPolicy: Record<string, string[]>;
  policyProblems: string[];
}

export const loadConfigView = async () => (await sendToBackground('config.get', {})) as ConfigView;

/** Saves a new user document; the background validates it and answers field-named errors (never throws). */
export async function saveUserConfig(next: unknown): Promise<string[]> {
  const result = await importConfigDocument(next);
  return result.ok ? [] : result.errors;
}

/**
 * Asks for host access to these match patterns. Must be called in a click handler before any other await,
 * while the click still counts as a user gesture. Answers whether all of them are granted.
 */
export async function requestHostAccess(patterns: string[]): Promise<boolean> {
  if (patterns.length === 0) return true;
  return browser.permissions.request({ origins: patterns }).catch(() => false);
}

export function isManaged(view: ConfigView, section: LockableSetting, field?: string): boolean {
  return view.locked.includes(section) || (field !== undefined && view.fromPolicy.fields.includes(`${section}.${field}`));
}
