import { createHash, createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { base64url, decodeJwt, decodeProtectedHeader, type JWK } from 'jose';
import { invalidProof, invalidToken } from './errors';

/**
 * RFC 9449 (DPoP) proof checks for one request. The proof is a JWS the installation signs with its own key,
 * which travels in the proof's `jwk` header; the key's RFC 7638 thumbprint is the installation's id. A proof
 * is bound to one request (method and URL), one moment (iat), one access token (ath) and one use (jti).
 */

/** Proof algorithms the broker accepts (the extension signs with a non-extractable ES256 key). */
export const DPOP_ALGS = ['ES256', 'RS256'] as const;
export type DpopAlg = (typeof DPOP_ALGS)[number];

/** How long a proof's jti is remembered beyond its acceptance window, at least. */
const JTI_KEEP_MS = 5 * 60_000;
const MAX_PROOF_LENGTH = 8192;
const MAX_JTI_LENGTH = 256;
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export interface DpopProofInput {
  /** The request's DPoP header value(s); exactly one compact JWS is accepted. */
  proof: string | readonly string[] | undefined | null;
  /** The request method, e.g. POST. */
  method: string;
  /** The request URL as the broker publishes it (public base URL + path); any query or fragment is ignored. */
  url: string;
  /** The access token from the Authorization header, which the proof's `ath` must hash. */
  accessToken: string;
  /** Epoch milliseconds, or a clock giving them. */
  now: number | (() => number);
  /** Records the jti until expiresAt (epoch ms); false when it was seen before (a replay). */
  useJti: (jti: string, expiresAt: number) => Promise<boolean> | boolean;
  /** How far iat may be from now, either way. */
  maxAgeSeconds?: number;
}

export interface DpopProofResult {
  /** RFC 7638 SHA-256 thumbprint of the proof's key: the installation id. */
  jkt: string;
  /** The proof's public key (required members only). */
  jwk: JWK;
}

/** A proof checked in every respect but its jti's use, which the caller records (with other state, in one statement). */
export interface CheckedDpopProof extends DpopProofResult {
  jti: string;
  /** Epoch ms: how long the jti must be remembered. */
  jtiExpiresAt: number;
}

export async function verifyDpopProof(input: DpopProofInput): Promise<DpopProofResult> {
  const { jkt, jwk, jti, jtiExpiresAt } = await checkDpopProof(input);
  // Last, so a proof refused for any other reason does not use up its jti.
  if (!(await input.useJti(jti, jtiExpiresAt))) throw replayedProof();
  return { jkt, jwk };
}

export function replayedProof() {
  return invalidProof('This DPoP proof was used before: every request needs a fresh proof.');
}

/** Every check of verifyDpopProof except spending the jti: the caller must record it, and refuse a replay. */
export async function checkDpopProof(input: Omit<DpopProofInput, 'useJti'>): Promise<CheckedDpopProof> {
  const maxAge = input.maxAgeSeconds ?? 60;
  const nowMs = typeof input.now === 'function' ? input.now() : input.now;
  const proof = singleProof(input.proof);

  let header: ReturnType<typeof decodeProtectedHeader>;
  let payload: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(proof);
    payload = decodeJwt(proof);
  } catch {
    throw invalidProof('The DPoP proof is not a well-formed JWT.');
  }
  if (header.typ !== 'dpop+jwt') throw invalidProof('The DPoP proof must have typ "dpop+jwt".');
  const alg = header.alg;
  if (!isDpopAlg(alg)) throw invalidProof(`The DPoP proof must be signed with ${DPOP_ALGS.join(' or ')}.`);
  // No JWS extension is understood here (RFC 7515 section 4.1.11): a proof that needs one is refused, as is an
  // unencoded payload (RFC 7797), which is only valid when declared critical.
  if ('crit' in header || 'b64' in header) throw invalidProof('The DPoP proof uses a JWS extension ("crit" or "b64") the broker does not accept.');
  const jwk = publicJwk(header.jwk, alg);

  let key: KeyObject;
  try {
    key = importedKey(jwk, alg);
  } catch {
    throw invalidProof('The DPoP proof\'s "jwk" is not a usable public key.');
  }
  if (!signatureHolds(proof, key, alg)) throw invalidProof('The DPoP proof\'s signature does not verify with its own "jwk".');
  // RFC 9449 proofs carry no exp or nbf; one that does is held to them (RFC 7519), with no leeway.
  const nowSeconds = nowMs / 1000;
  if (payload['exp'] !== undefined && !(typeof payload['exp'] === 'number' && nowSeconds < payload['exp'])) throw invalidProof('The DPoP proof has expired ("exp").');
  if (payload['nbf'] !== undefined && !(typeof payload['nbf'] === 'number' && nowSeconds >= payload['nbf'])) throw invalidProof('The DPoP proof is not valid yet ("nbf").');

  const { jti, htm, htu, iat, ath } = payload;
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_JTI_LENGTH) {
    throw invalidProof(`The DPoP proof needs a "jti" of 1 to ${MAX_JTI_LENGTH} characters.`);
  }
  if (typeof htm !== 'string' || htm !== input.method.toUpperCase()) throw invalidProof('The DPoP proof was made for another HTTP method ("htm").');
  if (typeof htu !== 'string') throw invalidProof('The DPoP proof has no "htu".');
  const expected = normaliseHtu(input.url);
  if (!expected) throw new Error('verifyDpopProof: the request URL is not an absolute http(s) URL');
  if (normaliseHtu(htu) !== expected) throw invalidProof('The DPoP proof was made for another URL ("htu").');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw invalidProof('The DPoP proof has no numeric "iat".');
  if (Math.abs(nowMs / 1000 - iat) > maxAge) {
    throw invalidProof(`The DPoP proof's "iat" is more than ${maxAge} seconds from the broker's clock: make a fresh proof (and check the computer's clock).`);
  }
  if (typeof ath !== 'string') throw invalidProof('The DPoP proof has no "ath" (the access token hash).');
  if (ath !== await accessTokenHash(input.accessToken)) throw invalidProof('The DPoP proof was made for another access token ("ath").');

  const jkt = thumbprint(jwk);
  const jtiExpiresAt = Math.max(nowMs + JTI_KEEP_MS, (iat + maxAge) * 1000 + 1000);
  return { jkt, jwk, jti, jtiExpiresAt };
}

/** base64url(SHA-256(ASCII access token)): the proof's `ath`. */
export async function accessTokenHash(accessToken: string): Promise<string> {
  // node:crypto in the request's own turn: WebCrypto's digest is a thread-pool job, costlier than the hash itself.
  return sha256Base64url(accessToken);
}

function sha256Base64url(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64url');
}

/** RFC 7638 SHA-256 thumbprint of a public key reduced by publicJwk (its required members, in lexical order). */
function thumbprint(jwk: JWK): string {
  const members = jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return sha256Base64url(JSON.stringify(members));
}

/**
 * Installations sign every request with the same key: its imported form is kept (public keys only, at most
 * KEY_CACHE_SIZE, the least recently used dropped first), so a proof costs one signature check, not an import.
 */
const KEY_CACHE_SIZE = 10_000;
const importedKeys = new Map<string, KeyObject>();

function importedKey(jwk: JWK, alg: DpopAlg): KeyObject {
  const id = `${alg}.${thumbprint(jwk)}`;
  let key = importedKeys.get(id);
  if (key) {
    importedKeys.delete(id);
  } else {
    key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    while (importedKeys.size >= KEY_CACHE_SIZE) importedKeys.delete(importedKeys.keys().next().value!);
  }
  importedKeys.set(id, key);
  return key;
}

/**
 * The JWS signature over `header.payload` (RFC 7515), checked with node:crypto in the request's own turn: on
 * WebCrypto each check is a thread-pool job whose hand-offs cost nearly twice the check itself (measured: 292 against 105
 * microseconds of CPU for one ES256 verification).
 */
function signatureHolds(proof: string, key: KeyObject, alg: DpopAlg): boolean {
  const dot = proof.lastIndexOf('.');
  const signature = decoded(proof.slice(dot + 1));
  if (!signature) return false;
  const input = Buffer.from(proof.slice(0, dot), 'ascii');
  try {
    if (alg === 'ES256') {
      // JWS ES256 signatures are R || S, 32 bytes each (RFC 7518 section 3.4), not DER.
      return signature.length === 64 && verify('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, signature);
    }
    return verify('sha256', input, key, signature);
  } catch {
    return false;
  }
}

/**
 * The key an access token is bound to (`cnf.jkt`), when it is a JWT that says. Read without checking the
 * signature: the binding can only narrow what the token allows, and the token itself is verified elsewhere.
 */
export function boundJkt(accessToken: string): string | undefined {
  if (!COMPACT_JWS.test(accessToken)) return undefined;
  try {
    const cnf = decodeJwt(accessToken)['cnf'];
    if (typeof cnf === 'object' && cnf !== null && !Array.isArray(cnf)) {
      const jkt = (cnf as Record<string, unknown>)['jkt'];
      return typeof jkt === 'string' ? jkt : undefined;
    }
  } catch {
    // Not a JWT: an opaque token carries no binding the broker can read.
  }
  return undefined;
}

/** Refuses an access token bound (`cnf.jkt`) to another key than the proof's. */
export function assertTokenBoundTo(accessToken: string, jkt: string): void {
  const bound = boundJkt(accessToken);
  if (bound !== undefined && bound !== jkt) throw invalidToken('The access token is bound to another key than the DPoP proof\'s.');
}

function singleProof(value: DpopProofInput['proof']): string {
  const values = value === undefined || value === null ? [] : typeof value === 'string' ? [value] : [...value];
  if (values.length === 0 || (values.length === 1 && values[0]!.trim() === '')) throw invalidProof('The request carries no DPoP proof (the DPoP header).');
  if (values.length > 1) throw invalidProof('The request carries more than one DPoP proof.');
  const proof = values[0]!.trim();
  if (proof.length > MAX_PROOF_LENGTH || !COMPACT_JWS.test(proof)) throw invalidProof('The DPoP proof must be one compact JWS.');
  return proof;
}

function isDpopAlg(alg: unknown): alg is DpopAlg {
  return typeof alg === 'string' && (DPOP_ALGS as readonly string[]).includes(alg);
}

/** The header's jwk reduced to its public members, after checking it is a public key of the right kind and size. */
function publicJwk(value: unknown, alg: DpopAlg): JWK {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidProof('The DPoP proof has no "jwk" header.');
  const jwk = value as Record<string, unknown>;
  if (PRIVATE_MEMBERS.some((member) => member in jwk)) throw invalidProof('The DPoP proof\'s "jwk" contains private key material.');
  if (jwk['alg'] !== undefined && jwk['alg'] !== alg) throw invalidProof('The DPoP proof\'s "jwk" is for another algorithm.');
  if (jwk['use'] !== undefined && jwk['use'] !== 'sig') throw invalidProof('The DPoP proof\'s "jwk" is not a signing key.');
  if (alg === 'ES256') {
    if (jwk['kty'] !== 'EC' || jwk['crv'] !== 'P-256') throw invalidProof('An ES256 DPoP proof needs an EC P-256 "jwk".');
    const { x, y } = jwk;
    if (typeof x !== 'string' || typeof y !== 'string' || byteLength(x) !== 32 || byteLength(y) !== 32) throw invalidProof('The DPoP proof\'s EC "jwk" is malformed.');
    return { kty: 'EC', crv: 'P-256', x, y };
  }
  if (jwk['kty'] !== 'RSA') throw invalidProof('An RS256 DPoP proof needs an RSA "jwk".');
  const { n, e } = jwk;
  if (typeof n !== 'string' || typeof e !== 'string' || byteLength(e) === undefined) throw invalidProof('The DPoP proof\'s RSA "jwk" is malformed.');
  const bits = modulusBits(n);
  if (bits === undefined || bits < 2048 || bits > 8192) throw invalidProof('The DPoP proof\'s RSA key must be 2048 to 8192 bits.');
  return { kty: 'RSA', n, e };
}

function decoded(value: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) return undefined;
  try {
    return base64url.decode(value);
  } catch {
    return undefined;
  }
}

function byteLength(value: string): number | undefined {
  return decoded(value)?.length;
}

function modulusBits(n: string): number | undefined {
  const bytes = decoded(n);
  if (!bytes) return undefined;
  let start = 0;
  while (start < bytes.length && bytes[start] === 0) start += 1;
  if (start === bytes.length) return 0;
  return (bytes.length - start) * 8 - Math.clz32(bytes[start]!) + 24;
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/**
 * scheme://host[:port]/path with RFC 3986 syntax- and scheme-based normalisation (case of scheme and host,
 * default port, dot segments, percent-encoding case, unreserved characters decoded); no query, no fragment.
 */
export function normaliseHtu(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const path = (url.pathname || '/').replace(/%([0-9A-Fa-f]{2})/g, (_match, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
  return `${url.protocol}//${url.host}${path}`;
}
