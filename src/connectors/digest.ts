/**
 * SHA-256 as the connectors use it. WebCrypto by default (the extension); a caller may give its own, as the broker
 * does with `node:crypto`, where each WebCrypto digest is a thread-pool job costing more than the hash itself.
 */
export type Sha256 = (bytes: Uint8Array<ArrayBuffer>) => Promise<Uint8Array>;

export const webCryptoSha256: Sha256 = async (bytes) => new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
