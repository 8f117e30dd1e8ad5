import { describe, expect, it } from 'vitest';
import { createSealer, type KeyStore } from './vault-crypto';

function memoryStore(): KeyStore & { key?: CryptoKey } {
  const store: KeyStore & { key?: CryptoKey } = {
    load: async () => store.key,
    save: async (key) => (store.key ??= key),
  };
  return store;
}

describe('vault sealing', () => {
  it('round-trips, with a fresh IV each time and a key that cannot be exported', async () => {
    const store = memoryStore();
    const sealer = createSealer(store);
    const a = await sealer.seal('s3cret', 'parchment/partnerSecret');
    const b = await sealer.seal('s3cret', 'parchment/partnerSecret');
    expect(a.iv).not.toBe(b.iv);
    expect(a.data).not.toContain('s3cret');
    expect(await sealer.open(a, 'parchment/partnerSecret')).toBe('s3cret');
    expect(store.key?.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', store.key!)).rejects.toThrow();
  });

  it('will not open a value moved to another slot, or tampered with', async () => {
    const sealer = createSealer(memoryStore());
    const sealed = await sealer.seal('s3cret', 'a/x');
    expect(await sealer.open(sealed, 'b/x')).toBeUndefined();
    const bytes = atob(sealed.data);
    const flipped = btoa(String.fromCharCode(bytes.charCodeAt(0) ^ 1) + bytes.slice(1));
    expect(await sealer.open({ ...sealed, data: flipped }, 'a/x')).toBeUndefined();
  });

  it('keeps the first key when two starts race', async () => {
    const store = memoryStore();
    const [one, two] = [createSealer(store), createSealer(store)];
    const sealed = await one.seal('v', 'slot');
    expect(await two.open(sealed, 'slot')).toBe('v');
  });
});
