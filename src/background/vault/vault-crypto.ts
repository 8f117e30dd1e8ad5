/**
 * AES-GCM sealing of small secrets under a key that cannot be exported. The key store is passed in so the
 * same code runs on IndexedDB in the worker and in memory in tests.
 */

export interface KeyStore {
  load(): Promise<CryptoKey | undefined>;
  /** Stores the key unless one is there already; answers the key that is stored. */
  save(key: CryptoKey): Promise<CryptoKey>;
}

export interface Sealed {
  iv: string;
  data: string;
}

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

export function createSealer(store: KeyStore, subtle: SubtleCrypto = crypto.subtle) {
  let keyPromise: Promise<CryptoKey> | undefined;

  async function loadOrCreate(): Promise<CryptoKey> {
    const existing = await store.load();
    if (existing) return existing;
    // Non-extractable: the raw key never exists outside the browser's crypto implementation.
    const key = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    return store.save(key);
  }

  function key(): Promise<CryptoKey> {
    keyPromise ??= loadOrCreate().catch((error: unknown) => {
      keyPromise = undefined;
      throw error;
    });
    return keyPromise;
  }

  return {
    /** `context` binds the ciphertext to its slot, so a sealed value copied to another slot will not open. */
    async seal(plain: string, context: string): Promise<Sealed> {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const data = await subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(context) },
        await key(),
        new TextEncoder().encode(plain),
      );
      return { iv: toBase64(iv), data: toBase64(new Uint8Array(data)) };
    },
    async open(sealed: Sealed, context: string): Promise<string | undefined> {
      try {
        const plain = await subtle.decrypt(
          { name: 'AES-GCM', iv: fromBase64(sealed.iv), additionalData: new TextEncoder().encode(context) },
          await key(),
          fromBase64(sealed.data),
        );
        return new TextDecoder().decode(plain);
      } catch {
        return undefined;
      }
    },
  };
}
