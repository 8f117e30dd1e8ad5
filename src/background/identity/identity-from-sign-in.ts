import { mapClaims } from '../../shared/identity/claim-mapping';
import type { IdentityConfig, ResolvedProvider } from '../../shared/identity/idp-config';
import type { OrgSignInResult } from '../../shared/identity/org-sign-in';
import type { IdentityTokens, VerifiedIdentity } from '../../shared/identity/verified-identity';

/**
 * The identity a sign-in (or a silent re-check) proves. It ends at the ID token's expiry or the organisation's
 * maximum counted from the interactive sign-in, whichever is first.
 */
export function identityFromSignIn(
  result: OrgSignInResult,
  provider: ResolvedProvider,
  settings: IdentityConfig,
  signedInAt: number,
  now: number,
): { identity: VerifiedIdentity; tokens: IdentityTokens } {
  const mapped = mapClaims(provider, result.claims);
  const identity: VerifiedIdentity = {
    issuer: result.issuer,
    subject: result.subject,
    providerLabel: provider.label,
    fields: mapped.fields,
    partnerUserIds: mapped.partnerUserIds,
    roles: mapped.roles,
    ...(mapped.role ? { role: mapped.role } : {}),
    problems: mapped.problems,
    signedInAt,
    checkedAt: now,
    expiresAt: Math.min(result.idTokenExpiresAt, signedInAt + settings.maxHours * 3_600_000),
  };
  const tokens: IdentityTokens = {
    idToken: result.idToken,
    ...(result.accessToken ? { accessToken: result.accessToken } : {}),
    ...(result.accessTokenExpiresAt ? { accessTokenExpiresAt: result.accessTokenExpiresAt } : {}),
  };
  return { identity, tokens };
}
