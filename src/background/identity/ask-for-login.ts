import { storageItem } from '../storage/storage-item';
import { storageKeys } from '../storage/storage-keys';

/**
 * Set by every sign-out: the next organisation sign-in asks the provider for a fresh login (prompt=login),
 * because the provider's own session in this browser may still be the previous clinician's. Durable, so a
 * browser restart between the two does not lose it.
 */
export const askForLoginNext = storageItem<boolean>('local', storageKeys.identityAskForLogin.key, (raw) => (raw === true ? true : undefined), () => false);
