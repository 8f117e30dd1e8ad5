import { browser } from '../../shared/browser-api';
import type { IdentityTokens, VerifiedIdentity } from '../../shared/identity/verified-identity';
import { sealer } from '../vault/vault';
import { storageKeys } from '../storage/storage-keys';

/**
 * The verified identity and its tokens, sealed under the installation's non-extractable key in
 * storage.session: it survives the worker being stopped and ends with the browser, like a sign-in session.
 * Sealing means a value written into storage by anything but this code does not open, and counts as no
 * identity (signed out), never as someone else.
 */

const KEY = storageKeys.orgIdentity.key;
const AAD = 'org-identity/v1';

export interface IdentityRecord {
  identity: VerifiedIdentity;
  tokens: IdentityTokens;
}

let cached: Promise<IdentityRecord | null> | undefined;
browser.storage.onChanged.addListener((changes, area) => {
  if (area === 'session' && Object.hasOwn(changes, KEY)) cached = undefined;
});

async function read(): Promise<IdentityRecord | null> {
  const sealed = (await browser.storage.session.get(KEY))[KEY] as { iv: string; data: string } | undefined;
  if (!sealed || typeof sealed.iv !== 'string' || typeof sealed.data !== 'string') return null;
  const text = await sealer.open(sealed, AAD);
  if (text === undefined) return null;
  try {
    const record = JSON.parse(text) as IdentityRecord;
    return record?.identity && record.tokens ? record : null;
  } catch {
    return null;
  }
}

export const identityStore = {
  get(): Promise<IdentityRecord | null> {
    const current = (cached ??= read());
    current.catch(() => {
      if (cached === current) cached = undefined;
    });
    return current;
  },
  async set(record: IdentityRecord): Promise<void> {
    cached = undefined;
    await browser.storage.session.set({ [KEY]: await sealer.seal(JSON.stringify(record), AAD) });
    cached = undefined;
  },
  async clear(): Promise<void> {
    cached = undefined;
    await browser.storage.session.remove(KEY);
    cached = undefined;
  },
};
