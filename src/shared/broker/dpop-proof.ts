import { SignJWT, base64url, type JWK } from 'jose';

/**
 * A DPoP proof (RFC 9449) for one request: signed by this installation's non-extractable key, naming the
 * request's method and URL, when it was made, and a hash of the access token it accompanies. A copied access
 * token is useless without the key.
 */
export interface DpopKey {
  key: CryptoKey;
  /** The public key, in the proof's header: kty and its public members only. */
  jwk: JWK;
  alg: 'ES256' | 'RS256';
}

export async function accessTokenHash(accessToken: string): Promise<string> {
  return base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken))));
}

/** The public members of a JWK (never d, p, q, …; no kid/use/alg noise either). */
export function publicMembers(jwk: JWK): JWK {
  return jwk.kty === 'EC' ? { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } : { kty: jwk.kty, n: jwk.n, e: jwk.e };
}

export async function dpopProof(key: DpopKey, request: { method: string; url: string; accessToken: string; nowMs: number }): Promise<string> {
  const url = new URL(request.url);
  return new SignJWT({
    jti: crypto.randomUUID(),
    htm: request.method.toUpperCase(),
    htu: `${url.origin}${url.pathname}`,
    iat: Math.floor(request.nowMs / 1000),
    ath: await accessTokenHash(request.accessToken),
  })
    .setProtectedHeader({ typ: 'dpop+jwt', alg: key.alg, jwk: publicMembers(key.jwk) })
    .sign(key.key);
}
