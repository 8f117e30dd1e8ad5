import { browser } from '../../shared/browser-api';
import { idbKeyStore } from './idb-key-store';
import { readPolicySecrets, type PolicySecretsReading } from './policy-secrets';
import { sealBinding, sealContext } from './seal-binding';
import { configItem } from '../settings/settings';
import { createSealer, type Sealed } from './vault-crypto';
import { storageKeys } from '../storage/storage-keys';

/**
 * Partner secrets, sealed with AES-GCM under a non-extractable key in IndexedDB, stored in
 * chrome.storage.local. Only the background reads them; no message answers with one. Each is bound to its
 * slot and to the partner's kind and origins as configured when it was entered (seal-binding.ts): a partner
 * pointed at another address has no secret until one is entered for that address.
 */

const STORAGE_KEY = storageKeys.vault.key;
/** The one sealing key of this installation: partner secrets and pairing refresh tokens both use it. */
export const sealer = createSealer(idbKeyStore('vault-aes-gcm'));

/** `bound`: sealed with the partner's binding; entries from before binding existed have none (see migrateUnbound). */
type VaultEntry = Sealed & { bound?: true };
type VaultRecord = Record<string, VaultEntry>;

function slot(partnerId: string, name: string): string {
  return `${partnerId}/${name}`;
}

/** The partner's binding as configured now; undefined when the partner is no longer configured. */
async function bindingOf(partnerId: string): Promise<string | undefined> {
  const partner = (await configItem.get()).partners.find((p) => p.id === partnerId);
  return partner ? sealBinding(partner) : undefined;
}

async function openEntry(entry: VaultEntry | undefined, partnerId: string, name: string, binding: string | undefined): Promise<string | undefined> {
  // An unbound entry is only opened by the one-off migration, never on a launch's path.
  if (!entry?.bound || binding === undefined) return undefined;
  return sealer.open(entry, sealContext(slot(partnerId, name), binding));
}

async function readAll(): Promise<VaultRecord> {
  const raw = (await browser.storage.local.get(STORAGE_KEY))[STORAGE_KEY];
  return raw && typeof raw === 'object' ? (raw as VaultRecord) : {};
}

/** Secrets the organisation delivers by policy; an unreadable policy counts as none. */
export async function policySecrets(): Promise<PolicySecretsReading> {
  try {
    return readPolicySecrets((await browser.storage.managed.get('secrets')).secrets);
  } catch {
    return { secrets: {}, problems: [] };
  }
}

export const vault = {
  async setSecret(partnerId: string, name: string, value: string): Promise<void> {
    const binding = await bindingOf(partnerId);
    if (binding === undefined) throw new Error('unknown partner');
    const sealed = await sealer.seal(value, sealContext(slot(partnerId, name), binding));
    const all = await readAll();
    all[slot(partnerId, name)] = { ...sealed, bound: true };
    await browser.storage.local.set({ [STORAGE_KEY]: all });
  },

  /** The named secrets of one partner, policy first; missing or unreadable ones are left out. */
  async secretsFor(partnerId: string, names: readonly string[]): Promise<Record<string, string>> {
    const [all, policy, binding] = await Promise.all([readAll(), policySecrets(), bindingOf(partnerId)]);
    const fromPolicy = policy.secrets[partnerId] ?? {};
    const out: Record<string, string> = {};
    for (const name of names) {
      if (Object.hasOwn(fromPolicy, name)) {
        out[name] = fromPolicy[name]!;
        continue;
      }
      const value = await openEntry(all[slot(partnerId, name)], partnerId, name, binding);
      if (value !== undefined) out[name] = value;
    }
    return out;
  },

  /**
   * Which secrets are set, per partner, without revealing them: all of them (typed here or by policy), those
   * the organisation's policy sets (they win over typed ones), and what was wrong with the policy. One read
   * of each store, whatever the number of partners. A typed secret counts as set only if it still opens for the
   * partner's address as configured now.
   */
  async secretStatus(): Promise<{ set: Record<string, string[]>; byPolicy: Record<string, string[]>; problems: string[] }> {
    const [all, policy, config] = await Promise.all([readAll(), policySecrets(), configItem.get()]);
    const set: Record<string, string[]> = {};
    const byPolicy: Record<string, string[]> = {};
    for (const [key, entry] of Object.entries(all)) {
      const [partnerId, name] = key.split('/') as [string, string];
      const partner = config.partners.find((p) => p.id === partnerId);
      if (!partner || (await openEntry(entry, partnerId, name, sealBinding(partner))) === undefined) continue;
      (set[partnerId] ??= []).push(name);
    }
    for (const [partnerId, secrets] of Object.entries(policy.secrets)) {
      byPolicy[partnerId] = Object.keys(secrets);
      set[partnerId] = [...new Set([...(set[partnerId] ?? []), ...byPolicy[partnerId]])];
    }
    return { set, byPolicy, problems: policy.problems };
  },
};

/**
 * Once, when the extension is updated from a version that sealed secrets to their slot only: each such secret
 * is sealed again bound to its partner as configured at that moment. Secrets of partners no longer configured
 * are dropped. Runs after storage has been closed to content scripts (storage-trust.ts).
 */
export async function migrateUnboundSecrets(): Promise<number> {
  const all = await readAll();
  let moved = 0;
  for (const [key, entry] of Object.entries(all)) {
    if (entry.bound) continue;
    const [partnerId = '', name = ''] = key.split('/');
    const binding = await bindingOf(partnerId);
    const value = binding === undefined ? undefined : await sealer.open(entry, slot(partnerId, name));
    if (value === undefined || binding === undefined) {
      delete all[key];
      continue;
    }
    all[key] = { ...(await sealer.seal(value, sealContext(slot(partnerId, name), binding))), bound: true };
    moved++;
  }
  await browser.storage.local.set({ [STORAGE_KEY]: all });
  return moved;
}
