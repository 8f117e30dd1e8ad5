import * as z from 'zod/mini';
import type { LaunchOutput } from '../../connectors/connector';
import type { ListableArea } from '../storage/key-value-area';
import { sameBinding, type PrefetchBinding, type PrefetchKeeper } from './prefetch-store';
import type { Sealer } from '../vault/token-vault';
import { storageKeys } from '../storage/storage-keys';

/**
 * Prefetched launch credentials kept in the worker's session storage, so they outlive the worker being stopped
 * when idle. Session storage is memory only (gone when the browser closes) and closed to content scripts
 * (storage-trust.ts); each credential is also sealed, bound to its key and its whole binding, so a record moved
 * to another tab or patient will not open.
 */

const PREFIX = storageKeys.prefetch.prefix;

const bindingSchema = z.object({
  tabId: z.number(),
  frameId: z.number(),
  documentId: z.optional(z.string()),
  partnerId: z.string(),
  fingerprint: z.string(),
  clinician: z.string(),
});
const recordSchema = z.object({
  binding: bindingSchema,
  expiresAt: z.optional(z.number()),
  sealed: z.object({ iv: z.string(), data: z.string() }),
});

const context = (key: string, binding: PrefetchBinding) =>
  `prefetch|${key}|${JSON.stringify([binding.tabId, binding.frameId, binding.documentId ?? '', binding.partnerId, binding.fingerprint, binding.clinician])}`;

export function createPrefetchKeeper(area: ListableArea, sealer: Sealer): PrefetchKeeper {
  const read = async (key: string) => {
    const parsed = recordSchema.safeParse(await area.get(PREFIX + key));
    return parsed.success ? parsed.data : undefined;
  };
  return {
    async save(key, binding, output) {
      const sealed = await sealer.seal(JSON.stringify(output), context(key, binding));
      await area.set(PREFIX + key, { binding, sealed, ...(output.expiresAt === undefined ? {} : { expiresAt: output.expiresAt }) });
    },

    async read(key, binding, take) {
      const record = await read(key);
      if (!record) return undefined;
      // Any other binding: not this click's credential, and no longer anyone's.
      const same = sameBinding(record.binding, binding);
      if (take || !same) await area.remove(PREFIX + key);
      if (!same) return undefined;
      const text = await sealer.open(record.sealed, context(key, binding));
      if (text === undefined) return undefined;
      try {
        return JSON.parse(text) as LaunchOutput;
      } catch {
        return undefined;
      }
    },

    remove: (key) => area.remove(PREFIX + key),

    async list() {
      const out: { key: string; binding: PrefetchBinding; expiresAt?: number }[] = [];
      for (const storageKey of (await area.keys()).filter((k) => k.startsWith(PREFIX))) {
        const key = storageKey.slice(PREFIX.length);
        const record = await read(key);
        if (!record) {
          await area.remove(storageKey);
          continue;
        }
        out.push({ key, binding: record.binding, ...(record.expiresAt === undefined ? {} : { expiresAt: record.expiresAt }) });
      }
      return out;
    },
  };
}
