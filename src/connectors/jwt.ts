import { base64url, SignJWT, type JWTPayload } from 'jose';
import { LaunchError } from '../shared/launch-error';

/** A signing key the background lends a connector for one launch: it can sign, never be read. */
export interface JwtSigner {
  alg: 'ES256' | 'RS256';
  kid: string;
  key: CryptoKey;
  /**
   * Signs a JWS signing input in the request's own turn (ES256 as JOSE's r || s), where a caller has a faster way
   * than WebCrypto: the broker, where each WebCrypto signature is a thread-pool job.
   */
  signBytes?: (input: Uint8Array) => Uint8Array;
}

/** A fresh, unguessable JWT id: never reused, so partners can refuse replays. */
export function newJti(): string {
  return crypto.randomUUID();
}

export async function signJwt(signer: JwtSigner, claims: JWTPayload): Promise<string> {
  const header = { alg: signer.alg, kid: signer.kid, typ: 'JWT' };
  if (signer.signBytes) {
    const input = `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(claims))}`;
    return `${input}.${base64url.encode(signer.signBytes(new TextEncoder().encode(input)))}`;
  }
  return new SignJWT(claims).setProtectedHeader(header).sign(signer.key);
}

/** The engine lends a key to every connector that declares `signingAlg`; without one nothing can be signed. */
export function requireSigner(signer: JwtSigner | undefined, partnerName: string): JwtSigner {
  if (!signer) throw new LaunchError('setup-needed', `This computer has no signing key for ${partnerName} yet. Tell your IT service desk.`, ['launchNoSigningKey', partnerName]);
  return signer;
}
