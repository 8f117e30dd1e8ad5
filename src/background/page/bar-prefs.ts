import { storageItem } from '../storage/storage-item';
import { storageKeys } from '../storage/storage-keys';

/**
 * The EHR sites (origins) on which the clinician minimised the launch bar. Kept here in the background: content
 * scripts never touch extension storage. Only configured EHR origins get here (the router checks the sender),
 * so the list stays small; it is capped anyway.
 */

const MAX_ORIGINS = 200;

const minimisedOrigins = storageItem<string[]>(
  'local',
  storageKeys.barMinimised.key,
  (raw) => (Array.isArray(raw) && raw.every((origin) => typeof origin === 'string') ? raw.slice(0, MAX_ORIGINS) : undefined),
  () => [],
);

export const barPrefs = {
  async minimised(origin: string): Promise<boolean> {
    return (await minimisedOrigins.get()).includes(origin);
  },
  async setMinimised(origin: string, minimised: boolean): Promise<void> {
    const others = (await minimisedOrigins.get()).filter((o) => o !== origin);
    await minimisedOrigins.set(minimised ? [origin, ...others].slice(0, MAX_ORIGINS) : others);
  },
};
