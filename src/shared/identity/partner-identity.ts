import type { ClinicianProfile } from '../clinician';
import type { Wording } from '../launch-error';
import { VERIFIABLE_FIELDS, type IdentityConfig, type ResolvedProvider, type VerifiableField } from './idp-config';
import { verifiedUsername, type VerifiedIdentity } from './verified-identity';

/**
 * Which clinician a launch speaks for, partner by partner. With a live verified identity, every field the
 * provider's mapping covers comes from the sign-in only (typed values for it are ignored, and a field the
 * sign-in did not fill stays empty); typed fields fill the rest. Policy can require a live identity for every
 * partner that is told who the clinician is, or name fields one partner must have verified.
 */

/** A clinician field a partner is told; `partnerUserId` is the partner's own id for the clinician. */
export type IdentityField = VerifiableField | 'partnerUserId';

export interface PartnerRef {
  id: string;
  kind: string;
  label: string;
}

export interface IdentityProblem {
  code: 'identity-needed' | 'identity-incomplete' | 'clinician-missing' | 'clinician-incomplete';
  message: string;
  /** clinician-incomplete: the field missing, and the provider that could give it (for the words in _locales). */
  missing?: { field: IdentityField; provider?: string };
  /** The same words in _locales, where they are more than the code and the missing field say. */
  wording?: Wording;
}

export type PartnerClinician = { ok: true; profile: ClinicianProfile; verified: boolean } | { ok: false; problem: IdentityProblem };

const FIELD_WORDS: Record<VerifiableField, string> = {
  displayName: 'name',
  username: 'username',
  email: 'email address',
  sdsUserId: 'SDS user id',
  roleProfileId: 'NHS role',
  roleName: 'NHS role',
};

function fieldWords(field: IdentityField, partner: PartnerRef): string {
  return field === 'partnerUserId' ? `${partner.label} user id` : FIELD_WORDS[field];
}

/** The fields a live identity decides (mapped to a claim), and whether it decides this partner's user id. */
export function lockedFields(provider: ResolvedProvider | undefined): VerifiableField[] {
  return provider ? VERIFIABLE_FIELDS.filter((field) => provider.claims[field] !== '') : [];
}

function profileValue(profile: ClinicianProfile, field: IdentityField, partner: PartnerRef): string | undefined {
  if (field !== 'partnerUserId') return profile[field];
  return partner.kind === 'parchment' ? profile.parchmentUserId : undefined;
}

function verifiedValue(identity: VerifiedIdentity, field: IdentityField, partner: PartnerRef): string | undefined {
  return field === 'partnerUserId' ? identity.partnerUserIds[partner.id] : identity.fields[field];
}

export interface PartnerClinicianInput {
  partner: PartnerRef;
  /** What the partner's connector sends about the clinician (empty for partners with their own sign-in). */
  sends: readonly IdentityField[];
  typed: ClinicianProfile | null;
  /** The verified identity if it is live now, else null. */
  identity: VerifiedIdentity | null;
  settings: IdentityConfig;
  provider: ResolvedProvider | undefined;
}

export function clinicianForPartner(input: PartnerClinicianInput): PartnerClinician {
  const { partner, sends, typed, identity, settings, provider } = input;
  const label = provider?.label ?? 'your organisation';
  const signIn = `Sign in with ${label} to launch ${partner.label}: open the EHR Launchpad menu in the toolbar.`;
  if (sends.length > 0 && settings.required && !identity) return fail('identity-needed', signIn);

  const readsRoles = provider?.roles !== undefined;
  for (const field of settings.verifiedFields[partner.id] ?? []) {
    if (!identity) return fail('identity-needed', signIn);
    if (!verifiedValue(identity, field, partner)) return incomplete(partner, field, identity, readsRoles);
  }

  const profile = mergedProfile(typed, identity, provider, partner);
  if (identity) {
    const locked = new Set<IdentityField>(lockedFields(provider));
    if (provider?.partnerUserIds[partner.id]) locked.add('partnerUserId');
    for (const field of sends) {
      if (locked.has(field) && !verifiedValue(identity, field, partner)) return incomplete(partner, field, identity, readsRoles);
    }
  }
  if (!profile) {
    if (!provider) return fail('clinician-missing', 'Set up your clinician profile first: open the EHR Launchpad menu in the toolbar.');
    const message = `Sign in with ${label} first: open the EHR Launchpad menu in the toolbar.`;
    return { ok: false, problem: { code: 'clinician-missing', message, wording: ['barReasonSignInWithFirst', label] } };
  }
  // A typed profile without something this partner is told (Black Pear's NHS ids, Parchment's user id) is not
  // ready: say so on the button, rather than fail only at the click.
  const missing = sends.find((field) => !profileValue(profile, field, partner));
  if (missing) {
    const words = fieldWords(missing, partner);
    const message = provider
      ? `${partner.label} needs your ${words}: sign in with ${label}, or add it to your clinician profile in the EHR Launchpad toolbar menu.`
      : `${partner.label} needs your ${words}: add it to your clinician profile in the EHR Launchpad toolbar menu.`;
    return { ok: false, problem: { code: 'clinician-incomplete', message, missing: provider ? { field: missing, provider: label } : { field: missing } } };
  }
  return { ok: true, profile, verified: identity !== null };
}

/**
 * The profile a launch uses: typed fields, then every locked field from the sign-in (absent when it did not
 * fill it), and the partner's own user id from the sign-in when the organisation maps it. Null when there is
 * neither a typed profile nor a live identity.
 */
export function mergedProfile(typed: ClinicianProfile | null, identity: VerifiedIdentity | null, provider: ResolvedProvider | undefined, partner?: PartnerRef): ClinicianProfile | null {
  if (!identity) return typed;
  const profile: Record<string, string | undefined> = { displayName: '', username: verifiedUsername(identity), email: '', ...typed };
  for (const field of lockedFields(provider)) profile[field] = identity.fields[field];
  if (!profile.displayName) profile.displayName = verifiedUsername(identity);
  if (!profile.username) profile.username = verifiedUsername(identity);
  if (partner?.kind === 'parchment' && provider?.partnerUserIds[partner.id]) profile.parchmentUserId = identity.partnerUserIds[partner.id];
  for (const key of Object.keys(profile)) if (profile[key] === undefined) delete profile[key];
  return profile as unknown as ClinicianProfile;
}

function fail(code: IdentityProblem['code'], message: string): PartnerClinician {
  return { ok: false, problem: { code, message } };
}

function incomplete(partner: PartnerRef, field: IdentityField, identity: VerifiedIdentity, readsRoles: boolean): PartnerClinician {
  // Only a provider that lists NHS roles (CIS2) can say the clinician has none.
  if ((field === 'roleProfileId' || field === 'roleName') && readsRoles && identity.roles.length === 0) {
    const message = `${partner.label} needs an NHS role, and your ${identity.providerLabel} account has none. Ask your Registration Authority for a role, then sign in again.`;
    return { ok: false, problem: { code: 'identity-incomplete', message, wording: ['barReasonNoNhsRole', partner.label, identity.providerLabel] } };
  }
  if ((field === 'roleProfileId' || field === 'roleName') && readsRoles) {
    const message = `${partner.label} needs an NHS role: sign in with ${identity.providerLabel} again and choose your role.`;
    return { ok: false, problem: { code: 'identity-incomplete', message, wording: ['barReasonChooseRole', partner.label, identity.providerLabel] } };
  }
  return fail('identity-incomplete', `${partner.label} needs your ${fieldWords(field, partner)}, and the sign-in with ${identity.providerLabel} did not give it. Tell your IT service desk.`);
}
