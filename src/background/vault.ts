import browser from 'webextension-polyfill';
import { idbKeyStore } from './idb-key-store';
import { readPolicySecrets, type PolicySecretsReading } from './policy-secrets';
import { createSealer, type Sealed } from './vault-crypto';

/**
 * Partner secrets, sealed with AES-GCM under a non-extractable key in IndexedDB, stored in
 * chrome.storage.local. Only the background reads them; no message answers with one.
 */

const STORAGE_KEY = 'vault';
/** The one sealing key of this installation: partner secrets and pairing refresh tokens both use it. */
export const sealer = createSealer(idbKeyStore('vault-aes-gcm'));

type VaultRecord = Record<string, Sealed>;

function slot(partnerId: string, name: string): string {
  return `${partnerId}/${name}`;
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
    const sealed = await sealer.seal(value, slot(partnerId, name));
    const all = await readAll();
    all[slot(partnerId, name)] = sealed;
    await browser.storage.local.set({ [STORAGE_KEY]: all });
  },

  /** The named secrets of one partner, policy first; missing or unreadable ones are left out. */
  async secretsFor(partnerId: string, names: readonly string[]): Promise<Record<string, string>> {
    const [all, policy] = await Promise.all([readAll(), policySecrets()]);
    const fromPolicy = policy.secrets[partnerId] ?? {};
    const out: Record<string, string> = {};
    for (const name of names) {
      if (Object.hasOwn(fromPolicy, name)) {
        out[name] = fromPolicy[name]!;
        continue;
      }
      const sealed = all[slot(partnerId, name)];
      const value = sealed ? await sealer.open(sealed, slot(partnerId, name)) : undefined;
      if (value !== undefined) out[name] = value;
    }
    return out;
  },

  /**
   * Which secrets are set, per partner, without revealing them: all of them (typed here or by policy), those
   * the organisation's policy sets (they win over typed ones), and what was wrong with the policy. One read
   * of each store, whatever the number of partners.
   */
  async secretStatus(): Promise<{ set: Record<string, string[]>; byPolicy: Record<string, string[]>; problems: string[] }> {
    const [all, policy] = await Promise.all([readAll(), policySecrets()]);
    const set: Record<string, string[]> = {};
    const byPolicy: Record<string, string[]> = {};
    for (const key of Object.keys(all)) {
      const [partnerId, name] = key.split('/') as [string, string];
      (set[partnerId] ??= []).push(name);
    }
    for (const [partnerId, secrets] of Object.entries(policy.secrets)) {
      byPolicy[partnerId] = Object.keys(secrets);
      set[partnerId] = [...new Set([...(set[partnerId] ?? []), ...byPolicy[partnerId]])];
    }
    return { set, byPolicy, problems: policy.problems };
  },
};
