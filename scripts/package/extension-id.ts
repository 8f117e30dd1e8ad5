import { createHash, createPublicKey } from 'node:crypto';

/**
 * Chromium's extension id: the first 128 bits of the SHA-256 of the public key (DER SubjectPublicKeyInfo),
 * written with the letters a-p for the hex digits 0-f. The manifest's `key` is that DER in base64.
 */
export function extensionIdFromKey(manifestKey: string): string {
  const digest = createHash('sha256').update(Buffer.from(manifestKey, 'base64')).digest();
  return [...digest.subarray(0, 16).toString('hex')].map((digit) => String.fromCharCode(97 + parseInt(digit, 16))).join('');
}

/** The manifest `key` (base64 DER public key) that belongs to a private key in PEM (PKCS#8 or PKCS#1). */
export function manifestKeyFromPem(pem: string): string {
  try {
    return createPublicKey(pem).export({ type: 'spki', format: 'der' }).toString('base64');
  } catch {
    // Never echo the file: it is a private key.
    throw new Error('the signing key is not a PEM private key');
  }
}
