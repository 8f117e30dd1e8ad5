import { browser } from '../../shared/browser-api';
import { storageKeys } from '../storage/storage-keys';

/**
 * What a clinician's sign-in at a partner left (NHS login: the ID token's jti and expiry), in
 * storage.session: it survives the worker being stopped and ends with the browser, like a login session.
 */
const key = (partnerId: string) => `${storageKeys.partnerSession.prefix}${partnerId}`;

export const partnerSessions = {
  async get(partnerId: string): Promise<unknown> {
    return (await browser.storage.session.get(key(partnerId)))[key(partnerId)];
  },
  async set(partnerId: string, session: unknown): Promise<void> {
    await browser.storage.session.set({ [key(partnerId)]: session });
  },
  async clear(partnerIds: readonly string[]): Promise<void> {
    await browser.storage.session.remove(partnerIds.map(key));
  },
};
