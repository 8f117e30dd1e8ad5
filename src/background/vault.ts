import browser from 'webextension-polyfill';
import { idbKeyStore } from './idb-key-store';
import { readPolicySecrets, type PolicySecretsReading } from './policy-secrets';
import { createSealer, type Sealed } from './vault-crypto';

/**
 * Partner secrets, sealed with AES-GCM under a non-extractable key in IndexedDB, stored in
 * chrome.storage.local. Only the background reads them; no message answers with one.
 */

const STORAGE_KEY = 'vault';
const sealer = createSealer(idbKeyStore('vault-aes-gcm'));

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

  /** Which secrets are set here or by policy, without revealing them (for the options page). */
  async secretNamesSet(partnerId: string): Promise<string[]> {
    const prefix = `${partnerId}/`;
    const local = Object.keys(await readAll())
      .filter((key) => key.startsWith(prefix))
      .map((key) => key.slice(prefix.length));
    return [...new Set([...local, ...(await vault.policySecretNames(partnerId))])];
  },

  /** Which secrets the organisation's policy sets (they win over typed ones). */
  async policySecretNames(partnerId: string): Promise<string[]> {
    return Object.keys((await policySecrets()).secrets[partnerId] ?? {});
  },
};
