import { generateKeyPairSync } from 'node:crypto';
import { base64url, calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { BrokerAuthError } from './errors';
import { accessTokenHash, assertTokenBoundTo, boundJkt, normaliseHtu, verifyDpopProof, type DpopProofInput } from './dpop';

const URL_LAUNCH = 'https://broker.example.org/v1/launch';
const ACCESS_TOKEN = 'opaque-access-token.for-dr-jones';
const NOW = Date.UTC(2025, 0, 15, 9, 30, 0);

interface Keys {
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function keys(alg: 'ES256' | 'RS256'): Promise<Keys> {
  const pair = await generateKeyPair(alg, { extractable: true });
  return { privateKey: pair.privateKey, publicJwk: await exportJWK(pair.publicKey) };
}

interface ProofOptions {
  alg?: string;
  typ?: string | null;
  jwk?: JWK | null;
  key?: CryptoKey | Uint8Array;
  claims?: Record<string, unknown>;
  omit?: string[];
}

let counter = 0;

async function proof(signer: Keys, options: ProofOptions = {}): Promise<string> {
  counter += 1;
  const claims: Record<string, unknown> = {
    jti: `proof-${counter}-${Math.random().toString(36).slice(2)}`,
    htm: 'POST',
    htu: URL_LAUNCH,
    iat: Math.floor(NOW / 1000),
    ath: await accessTokenHash(ACCESS_TOKEN),
    ...options.claims,
  };
  for (const name of options.omit ?? []) delete claims[name];
  const header: Record<string, unknown> = { alg: options.alg ?? 'ES256', typ: 'dpop+jwt', jwk: signer.publicJwk };
  if (options.typ === null) delete header['typ'];
  else if (options.typ !== undefined) header['typ'] = options.typ;
  if (options.jwk === null) delete header['jwk'];
  else if (options.jwk !== undefined) header['jwk'] = options.jwk;
  return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(options.key ?? signer.privateKey);
}

/** A jti store as the broker's: true the first time, false after. */
function jtiStore() {
  const seen = new Map<string, number>();
  return {
    seen,
    useJti(jti: string, expiresAt: number): boolean {
      if (seen.has(jti)) return false;
      seen.set(jti, expiresAt);
      return true;
    },
  };
}

function input(dpop: DpopProofInput['proof'], overrides: Partial<DpopProofInput> = {}): DpopProofInput {
  return { proof: dpop, method: 'POST', url: URL_LAUNCH, accessToken: ACCESS_TOKEN, now: NOW, useJti: jtiStore().useJti, ...overrides };
}

async function refused(promise: Promise<unknown>, pattern: RegExp): Promise<BrokerAuthError> {
  const error = await promise.then(
    () => undefined,
    (cause: unknown) => cause,
  );
  expect(error).toBeInstanceOf(BrokerAuthError);
  const refusal = error as BrokerAuthError;
  expect(refusal.status).toBe(401);
  expect(refusal.code).toBe('invalid_dpop_proof');
  expect(refusal.message).toMatch(pattern);
  return refusal;
}

/** Messages never quote the proof or the token (or any piece of them). */
function expectNoSecrets(error: BrokerAuthError, dpop: string): void {
  for (const part of [ACCESS_TOKEN, ...dpop.split('.')]) expect(error.message).not.toContain(part);
}

describe('verifyDpopProof', () => {
  let es: Keys;
  let other: Keys;
  let rsa: Keys;

  beforeAll(async () => {
    [es, other, rsa] = await Promise.all([keys('ES256'), keys('ES256'), keys('RS256')]);
  });

  it('accepts a good ES256 proof: the jkt is the RFC 7638 thumbprint of its jwk, and the jti is recorded', async () => {
    const store = jtiStore();
    const dpop = await proof(es);
    const result = await verifyDpopProof(input(dpop, { useJti: store.useJti }));
    expect(result.jkt).toBe(await calculateJwkThumbprint(es.publicJwk, 'sha256'));
    expect(result.jwk).toEqual({ kty: 'EC', crv: 'P-256', x: es.publicJwk.x, y: es.publicJwk.y });
    expect(store.seen.size).toBe(1);
    const [expiresAt] = [...store.seen.values()];
    // Kept at least five minutes, and past the proof's own acceptance window.
    expect(expiresAt).toBeGreaterThanOrEqual(NOW + 5 * 60_000);
  });

  it('accepts a good RS256 proof with a 2048-bit key, a clock function and a lower-case method', async () => {
    const dpop = await proof(rsa, { alg: 'RS256' });
    const result = await verifyDpopProof(input(dpop, { now: () => NOW, method: 'post' }));
    expect(result.jkt).toBe(await calculateJwkThumbprint(rsa.publicJwk, 'sha256'));
  });

  it('refuses a missing proof, an empty one, two proofs and something that is not a compact JWS', async () => {
    await refused(verifyDpopProof(input(undefined)), /carries no DPoP proof/);
    await refused(verifyDpopProof(input('')), /carries no DPoP proof/);
    await refused(verifyDpopProof(input([])), /carries no DPoP proof/);
    const dpop = await proof(es);
    await refused(verifyDpopProof(input([dpop, await proof(es)])), /more than one/);
    await refused(verifyDpopProof(input(`${dpop}.extra`)), /one compact JWS/);
    await refused(verifyDpopProof(input('not a jws')), /one compact JWS/);
    await refused(verifyDpopProof(input('e30.e30.e30')), /typ "dpop\+jwt"/);
  });

  it('refuses a wrong or missing typ', async () => {
    await refused(verifyDpopProof(input(await proof(es, { typ: 'JWT' }))), /typ "dpop\+jwt"/);
    await refused(verifyDpopProof(input(await proof(es, { typ: null }))), /typ "dpop\+jwt"/);
  });

  it('refuses alg none (an unsigned proof)', async () => {
    const encode = (value: unknown) => base64url.encode(JSON.stringify(value));
    const header = encode({ alg: 'none', typ: 'dpop+jwt', jwk: es.publicJwk });
    const payload = encode({ jti: 'none-1', htm: 'POST', htu: URL_LAUNCH, iat: Math.floor(NOW / 1000), ath: await accessTokenHash(ACCESS_TOKEN) });
    // An unsigned JWS has an empty signature part; with or without one it is refused.
    await refused(verifyDpopProof(input(`${header}.${payload}.`)), /one compact JWS/);
    await refused(verifyDpopProof(input(`${header}.${payload}.c2ln`)), /ES256 or RS256/);
  });

  it('refuses HS256 (a shared-secret proof), even with a symmetric jwk', async () => {
    const secret = crypto.getRandomValues(new Uint8Array(32));
    const octJwk = { kty: 'oct', k: base64url.encode(secret) };
    await refused(verifyDpopProof(input(await proof(es, { alg: 'HS256', key: secret, jwk: octJwk }))), /ES256 or RS256/);
  });

  it('refuses a jwk with private key material, a missing jwk, and keys of the wrong kind or size', async () => {
    const privateJwk = await exportJWK(es.privateKey);
    expect(privateJwk.d).toBeDefined();
    await refused(verifyDpopProof(input(await proof(es, { jwk: privateJwk }))), /private key material/);
    await refused(verifyDpopProof(input(await proof(es, { jwk: { ...es.publicJwk, k: 'c2VjcmV0' } }))), /private key material/);
    await refused(verifyDpopProof(input(await proof(es, { jwk: null }))), /no "jwk"/);
    await refused(verifyDpopProof(input(await proof(es, { jwk: rsa.publicJwk }))), /EC P-256/);
    await refused(verifyDpopProof(input(await proof(rsa, { alg: 'RS256', jwk: es.publicJwk }))), /RSA "jwk"/);
    // jose will not sign with a small RSA key; the size is checked before the signature anyway.
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' }) as JWK;
    await refused(verifyDpopProof(input(await proof(rsa, { alg: 'RS256', jwk: small }))), /2048 to 8192 bits/);
    await refused(verifyDpopProof(input(await proof(es, { jwk: { ...es.publicJwk, crv: 'P-384' } }))), /EC P-256/);
    await refused(verifyDpopProof(input(await proof(es, { jwk: { ...es.publicJwk, x: 'AAAA' } }))), /malformed/);
  });

  it('refuses a proof signed by another key than its jwk', async () => {
    const error = await refused(verifyDpopProof(input(await proof(es, { key: other.privateKey }))), /signature does not verify/);
    expect(error.message).not.toMatch(/token/i);
  });

  it('refuses a tampered payload, an RS256 proof signed by another key, and an ES256 signature in DER form', async () => {
    const good = await proof(es);
    const [head, body, signature] = good.split('.') as [string, string, string];
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(body))) as Record<string, unknown>;
    const tampered = base64url.encode(JSON.stringify({ ...claims, htu: URL_LAUNCH, jti: 'another-jti' }));
    await refused(verifyDpopProof(input(`${head}.${tampered}.${signature}`)), /signature does not verify/);
    const rsOther = await keys('RS256');
    await refused(verifyDpopProof(input(await proof(rsa, { alg: 'RS256', key: rsOther.privateKey }))), /signature does not verify/);
    // The same R and S as ASN.1 DER (what OpenSSL makes by default): not a JWS signature.
    const raw = base64url.decode(signature);
    const integer = (bytes: Uint8Array) => {
      let start = 0;
      while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
      const trimmed = bytes.slice(start);
      const padded = trimmed[0]! & 0x80 ? [0, ...trimmed] : [...trimmed];
      return [0x02, padded.length, ...padded];
    };
    const sequence = [...integer(raw.slice(0, 32)), ...integer(raw.slice(32))];
    const der = base64url.encode(new Uint8Array([0x30, sequence.length, ...sequence]));
    await refused(verifyDpopProof(input(`${head}.${body}.${der}`)), /signature does not verify/);
  });

  it('refuses a proof that asks for a JWS extension (crit, b64)', async () => {
    const signed = async (extra: Record<string, unknown>) => {
      const header = { alg: 'ES256', typ: 'dpop+jwt', jwk: es.publicJwk, ...extra };
      const claims = { jti: `ext-${Math.random()}`, htm: 'POST', htu: URL_LAUNCH, iat: Math.floor(NOW / 1000), ath: await accessTokenHash(ACCESS_TOKEN) };
      const input = `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(claims))}`;
      const signature = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, es.privateKey, new TextEncoder().encode(input)));
      return `${input}.${base64url.encode(signature)}`;
    };
    // A well-signed proof with no extension passes, so the refusals below are the extensions' doing.
    await expect(verifyDpopProof(input(await signed({})))).resolves.toMatchObject({ jkt: expect.any(String) });
    await refused(verifyDpopProof(input(await signed({ crit: ['exp'] }))), /JWS extension/);
    await refused(verifyDpopProof(input(await signed({ b64: true }))), /JWS extension/);
  });

  it('holds a proof to an exp or nbf it carries', async () => {
    const now = Math.floor(NOW / 1000);
    await refused(verifyDpopProof(input(await proof(es, { claims: { exp: now } }))), /expired/);
    await refused(verifyDpopProof(input(await proof(es, { claims: { exp: 'tomorrow' } }))), /expired/);
    await refused(verifyDpopProof(input(await proof(es, { claims: { nbf: now + 1 } }))), /not valid yet/);
    await expect(verifyDpopProof(input(await proof(es, { claims: { exp: now + 30, nbf: now } })))).resolves.toMatchObject({ jkt: expect.any(String) });
  });

  it('refuses a proof for another method', async () => {
    await refused(verifyDpopProof(input(await proof(es, { claims: { htm: 'GET' } }))), /another HTTP method/);
    await refused(verifyDpopProof(input(await proof(es, { omit: ['htm'] }))), /another HTTP method/);
  });

  it('refuses a proof for another path or host; ignores a query or fragment; compares normalised URLs', async () => {
    await refused(verifyDpopProof(input(await proof(es, { claims: { htu: 'https://broker.example.org/v1/partners' } }))), /another URL/);
    await refused(verifyDpopProof(input(await proof(es, { claims: { htu: 'https://evil.example.org/v1/launch' } }))), /another URL/);
    await refused(verifyDpopProof(input(await proof(es, { claims: { htu: 'http://broker.example.org/v1/launch' } }))), /another URL/);
    await refused(verifyDpopProof(input(await proof(es, { claims: { htu: 'https://broker.example.org:8443/v1/launch' } }))), /another URL/);
    await refused(verifyDpopProof(input(await proof(es, { omit: ['htu'] }))), /no "htu"/);
    await refused(verifyDpopProof(input(await proof(es, { claims: { htu: '/v1/launch' } }))), /another URL/);

    await expect(verifyDpopProof(input(await proof(es, { claims: { htu: `${URL_LAUNCH}?tab=1#top` } })))).resolves.toMatchObject({ jkt: expect.any(String) });
    await expect(verifyDpopProof(input(await proof(es), { url: `${URL_LAUNCH}?partner=x` }))).resolves.toMatchObject({ jkt: expect.any(String) });
    await expect(verifyDpopProof(input(await proof(es, { claims: { htu: 'HTTPS://Broker.Example.ORG:443/v1/./launch' } })))).resolves.toMatchObject({ jkt: expect.any(String) });
    expect(normaliseHtu('https://h.example/%7euser/a%2fb')).toBe('https://h.example/~user/a%2Fb');
    expect(normaliseHtu('ftp://h.example/x')).toBeUndefined();
  });

  it('refuses a stale or future iat (61 s either way) and accepts 60 s either way', async () => {
    const iat = Math.floor(NOW / 1000);
    await refused(verifyDpopProof(input(await proof(es, { claims: { iat: iat - 61 } }))), /more than 60 seconds/);
    await refused(verifyDpopProof(input(await proof(es, { claims: { iat: iat + 61 } }))), /more than 60 seconds/);
    await refused(verifyDpopProof(input(await proof(es, { omit: ['iat'] }))), /numeric "iat"/);
    await expect(verifyDpopProof(input(await proof(es, { claims: { iat: iat - 60 } })))).resolves.toBeDefined();
    await expect(verifyDpopProof(input(await proof(es, { claims: { iat: iat + 60 } })))).resolves.toBeDefined();
    // A custom window.
    await refused(verifyDpopProof(input(await proof(es, { claims: { iat: iat - 31 } }), { maxAgeSeconds: 30 })), /more than 30 seconds/);
  });

  it('refuses a missing or wrong ath', async () => {
    await refused(verifyDpopProof(input(await proof(es, { omit: ['ath'] }))), /no "ath"/);
    const wrong = await proof(es, { claims: { ath: await accessTokenHash('another-token') } });
    const error = await refused(verifyDpopProof(input(wrong)), /another access token/);
    expectNoSecrets(error, wrong);
    // The same proof for its own token passes.
    await expect(verifyDpopProof(input(wrong, { accessToken: 'another-token' }))).resolves.toBeDefined();
  });

  it('refuses a missing, empty or over-long jti', async () => {
    await refused(verifyDpopProof(input(await proof(es, { omit: ['jti'] }))), /"jti"/);
    await refused(verifyDpopProof(input(await proof(es, { claims: { jti: '' } }))), /"jti"/);
    await refused(verifyDpopProof(input(await proof(es, { claims: { jti: 'x'.repeat(257) } }))), /"jti"/);
    await expect(verifyDpopProof(input(await proof(es, { claims: { jti: 'y'.repeat(256) } })))).resolves.toBeDefined();
  });

  it('refuses a replayed jti; a refused proof does not use up its jti', async () => {
    const store = jtiStore();
    const dpop = await proof(es);
    await verifyDpopProof(input(dpop, { useJti: store.useJti }));
    const error = await refused(verifyDpopProof(input(dpop, { useJti: store.useJti })), /used before/);
    expectNoSecrets(error, dpop);

    const later = await proof(es, { claims: { jti: 'kept-jti' } });
    await refused(verifyDpopProof(input(later, { useJti: store.useJti, method: 'GET' })), /another HTTP method/);
    expect(store.seen.has('kept-jti')).toBe(false);
    await expect(verifyDpopProof(input(later, { useJti: async (jti, at) => store.useJti(jti, at) }))).resolves.toBeDefined();
  });
});

describe('access token binding (cnf.jkt)', () => {
  const jwt = (payload: Record<string, unknown>) => `${base64url.encode('{"alg":"RS256"}')}.${base64url.encode(JSON.stringify(payload))}.c2ln`;

  it('reads cnf.jkt from a JWT access token and refuses another key', () => {
    const token = jwt({ sub: 'x', cnf: { jkt: 'thumbprint-a' } });
    expect(boundJkt(token)).toBe('thumbprint-a');
    expect(() => assertTokenBoundTo(token, 'thumbprint-a')).not.toThrow();
    let error: unknown;
    try {
      assertTokenBoundTo(token, 'thumbprint-b');
    } catch (cause) {
      error = cause;
    }
    expect(error).toBeInstanceOf(BrokerAuthError);
    expect(error).toMatchObject({ status: 401, code: 'invalid_token' });
  });

  it('finds no binding in an opaque token or a JWT without cnf.jkt', () => {
    expect(boundJkt(ACCESS_TOKEN)).toBeUndefined();
    expect(boundJkt(jwt({ sub: 'x' }))).toBeUndefined();
    expect(boundJkt(jwt({ sub: 'x', cnf: { 'x5t#S256': 'abc' } }))).toBeUndefined();
    expect(() => assertTokenBoundTo(ACCESS_TOKEN, 'anything')).not.toThrow();
  });
});
