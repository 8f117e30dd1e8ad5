import { enrolledJwkProblem } from './enrolled-jwk';
import { ID_TOKEN_FAULTS } from './org-idp-fixtures';
import type { OrgIdpSettings } from './org-idp-fixtures';

/** Checks a settings patch of `org-idp` once merged (the store has already checked keys and kinds). */

function jwkProblem(jwk: unknown, index: number): string | undefined {
  return enrolledJwkProblem(jwk, `clientJwks[${index}]`);
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
