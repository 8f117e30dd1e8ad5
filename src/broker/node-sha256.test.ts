import { describe, expect, it } from 'vitest';
import { webCryptoSha256 } from '../connectors/digest';
import { phpkbSignedQuery } from '../connectors/phpkb';
import { nodeSha256 } from './node-sha256';

describe('nodeSha256', () => {
  it('gives the FIPS 180-2 test vectors and the same bytes as WebCrypto', async () => {
    const hex = async (text: string) => Buffer.from(await nodeSha256(new TextEncoder().encode(text))).toString('hex');
    expect(await hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    const bytes = new TextEncoder().encode('Zoë Ångström, 943 476 5919');
    expect(Buffer.from(await nodeSha256(bytes))).toEqual(Buffer.from(await webCryptoSha256(bytes)));
  });

  it('signs a PHPKB query exactly as the extension does', async () => {
    const fields = { username: 'zoe', name: 'Zoë Ångström', email: 'zoe@example.nhs.uk', t: '1700000000' };
    expect(await phpkbSignedQuery(fields, 's3cret', nodeSha256)).toEqual(await phpkbSignedQuery(fields, 's3cret'));
  });
});
