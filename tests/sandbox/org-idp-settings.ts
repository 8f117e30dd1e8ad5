import { createPublicKey } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import { isPlainObject } from './http-kit';
import { ID_TOKEN_FAULTS } from './org-idp-fixtures';
import type { OrgIdpSettings } from './org-idp-fixtures';

/** Checks a settings patch of `org-idp` once merged (the store has already checked keys and kinds). */

const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

function jwkProblem(jwk: unknown, index: number): string | undefined {
  const where = `clientJwks[${index}]`;
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

export function validateOrgIdpSettings(s: OrgIdpSettings): string | undefined {
  for (const [index, jwk] of s.clientJwks.entries()) {
    const problem = jwkProblem(jwk, index);
    if (problem) return problem;
  }
  const kids = s.clientJwks.map((jwk) => jwk['kid']);
  if (new Set(kids).size !== kids.length) return 'clientJwks: kids must be unique';
  if (!Number.isSafeInteger(s.idTokenTtlSeconds) || s.idTokenTtlSeconds < 1 || s.idTokenTtlSeconds > 86_400) {
    return 'idTokenTtlSeconds must be a whole number of seconds from 1 to 86400';
  }
  if (!(ID_TOKEN_FAULTS as readonly string[]).includes(s.idTokenFault)) return `idTokenFault must be one of ${ID_TOKEN_FAULTS.join(', ')}`;
  return undefined;
}
