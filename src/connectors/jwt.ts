import { SignJWT, type JWTPayload } from 'jose';
import { LaunchError } from '../shared/launch-error';

/** A signing key the background lends a connector for one launch: it can sign, never be read. */
export interface JwtSigner {
  alg: 'ES256' | 'RS256';
  kid: string;
  key: CryptoKey;
}

/** A fresh, unguessable JWT id: never reused, so partners can refuse replays. */
export function newJti(): string {
  return crypto.randomUUID();
}

export function signJwt(signer: JwtSigner, claims: JWTPayload): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: 'JWT' }).sign(signer.key);
}

/** The engine lends a key to every connector that declares `signingAlg`; without one nothing can be signed. */
export function requireSigner(signer: JwtSigner | undefined, partnerName: string): JwtSigner {
  if (!signer) throw new LaunchError('setup-needed', `This computer has no signing key for ${partnerName} yet. Tell your IT service desk.`, ['launchNoSigningKey', partnerName]);
  return signer;
}
