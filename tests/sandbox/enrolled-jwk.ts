import { createPublicKey } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import { isPlainObject } from './http-kit';

const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/**
 * Why a JWK a client wants enrolled (for private_key_jwt or signed assertions) cannot be, or undefined: it must be
 * an EC or RSA public key with a kid, and never carry a private member. `where` names it in the message.
 */
export function enrolledJwkProblem(jwk: unknown, where: string): string | undefined {
  if (!isPlainObject(jwk)) return `${where} must be a JWK object`;
  if (typeof jwk['kid'] !== 'string' || jwk['kid'] === '') return `${where} needs a non-empty kid`;
  if (jwk['kty'] !== 'EC' && jwk['kty'] !== 'RSA') return `${where}: kty must be EC (ES256) or RSA (RS256)`;
  const privateMember = PRIVATE_JWK_MEMBERS.find((member) => member in jwk);
  if (privateMember) return `${where} contains the private member "${privateMember}": enrol public keys only`;
  try {
    createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
  } catch (error) {
    return `${where} is not a usable public key: ${error instanceof Error ? error.message : String(error)}`;
  }
  return undefined;
}
