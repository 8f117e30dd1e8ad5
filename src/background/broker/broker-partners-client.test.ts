import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { fetchBrokerPartners } from './broker-partners-client';

async function dpopKey() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { key: privateKey as CryptoKey, jwk: await exportJWK(publicKey), alg: 'ES256' as const };
}

function answering(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;
  return { calls, fetchFn };
}

const input = async (fetchFn: typeof fetch) => ({
  brokerUrl: 'https://broker.example',
  accessToken: 'access-token',
  dpop: await dpopKey(),
  fetch: fetchFn,
  signal: AbortSignal.timeout(1_000),
  now: () => 1_700_000_000_000,
});

describe('GET /v1/partners from the extension', () => {
  it('asks with the access token and a DPoP proof made for this GET, and keeps id, label and kind', async () => {
    const { calls, fetchFn } = answering(200, [{ id: 'parchment', label: 'Parchment', kind: 'parchment', extra: 1 }]);
    expect(await fetchBrokerPartners(await input(fetchFn))).toEqual([{ id: 'parchment', label: 'Parchment', kind: 'parchment' }]);
    const [call] = calls;
    expect(call!.url).toBe('https://broker.example/v1/partners');
    expect(call!.init.method).toBe('GET');
    expect(call!.init.credentials).toBe('omit');
    const headers = call!.init.headers as Record<string, string>;
    expect(headers.authorization).toBe('DPoP access-token');
    expect(decodeProtectedHeader(headers.dpop!).typ).toBe('dpop+jwt');
    expect(decodeJwt(headers.dpop!)).toMatchObject({ htm: 'GET', htu: 'https://broker.example/v1/partners', iat: 1_700_000_000 });
  });

  it('throws (not known) on a refusal or a malformed answer, never answers "none"', async () => {
    await expect(fetchBrokerPartners(await input(answering(401, { code: 'invalid_token', message: 'no' }).fetchFn))).rejects.toThrow();
    await expect(fetchBrokerPartners(await input(answering(200, { partners: [] }).fetchFn))).rejects.toThrow();
    await expect(fetchBrokerPartners(await input(answering(200, [{ id: '', label: 'x', kind: 'y' }]).fetchFn))).rejects.toThrow();
  });
});
