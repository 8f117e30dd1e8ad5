import { generateKeyPairSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extensionIdFromKey, manifestKeyFromPem } from './extension-id';

describe('extension id', () => {
  it('is the id the project documents for the key in manifest.json', async () => {
    const manifest = JSON.parse(await readFile(resolve(import.meta.dirname, '../../manifest.json'), 'utf8')) as { key: string };
    expect(extensionIdFromKey(manifest.key)).toBe('ikbkgfoadadldhedkemepfmjnahodadh');
  });

  it('comes from the public half of a PEM private key (PKCS#8 and PKCS#1 alike)', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const expected = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    expect(manifestKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)).toBe(expected);
    expect(manifestKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }) as string)).toBe(expected);
    expect(extensionIdFromKey(expected)).toMatch(/^[a-p]{32}$/);
  });

  it('says a file is not a key without repeating what is in it', () => {
    expect(() => manifestKeyFromPem('secret-looking text')).toThrow('the signing key is not a PEM private key');
    try {
      manifestKeyFromPem('secret-looking text');
    } catch (error) {
      expect(String(error)).not.toContain('secret-looking');
    }
  });
});
