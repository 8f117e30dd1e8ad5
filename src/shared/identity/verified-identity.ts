import type { VerifiedRole } from './claim-mapping';
import type { VerifiableField } from './idp-config';

/**
 * The clinician as the organisation's sign-in proved them: what the background keeps (sealed, in
 * storage.session) and what the popup shows. Tokens are kept apart from it and never leave the worker.
 */
export interface VerifiedIdentity {
  issuer: string;
  subject: string;
  /** What clinicians call the provider ("NHS Care Identity"). */
  providerLabel: string;
  fields: Partial<Record<VerifiableField, string>>;
  /** Per partner id, that partner's own user id for the clinician. */
  partnerUserIds: Record<string, string>;
  roles: VerifiedRole[];
  role?: VerifiedRole;
  /** Mapped fields the sign-in did not fill, for the popup and diagnostics. */
  problems: string[];
  /** Epoch ms of the interactive sign-in: the organisation's maximum counts from here. */
  signedInAt: number;
  /** Epoch ms of the last successful check with the provider (the sign-in or a silent re-check). */
  checkedAt: number;
  /** Epoch ms: the ID token's expiry or the organisation's maximum, whichever comes first. */
  expiresAt: number;
}

/** What the background keeps beside the identity, never shown to any page. */
export interface IdentityTokens {
  idToken: string;
  accessToken?: string;
  accessTokenExpiresAt?: number;
}

export function isLive(identity: VerifiedIdentity | null | undefined, nowMs: number): identity is VerifiedIdentity {
  return !!identity && identity.expiresAt > nowMs;
}

/** The name audit entries and pairings know the clinician by: the verified username, else the subject. */
export function verifiedUsername(identity: VerifiedIdentity): string {
  return identity.fields.username ?? identity.subject;
}
