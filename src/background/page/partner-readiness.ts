import type { IdentityField, IdentityProblem, PartnerClinician } from '../../shared/identity/partner-identity';
import type { Wording } from '../../shared/launch-error';
import type { MessageKey } from '../../shared/message-key';
import type { PartnerButton } from '../../shared/protocol';
import type { PairingState } from '../vault/token-vault';

/**
 * Whether a partner can launch for this clinician on this computer, and if not, why. The one decision behind
 * the launch bar's buttons, the popup's partner list and the toolbar badge, so no two of them can disagree.
 */

/** Why a partner cannot launch, as a code the popup words from _locales and the badge sorts by who must act. */
export type BlockingReason =
  // The organisation's IT must act on this computer.
  | 'unknown-kind'
  | 'secret-missing'
  | 'signing-key-missing'
  | 'host-access-missing'
  | 'identity-incomplete'
  // The clinician must fix something in the toolbar menu.
  | 'clinician-missing'
  | 'clinician-incomplete'
  | 're-pair-needed'
  // A step the clinician takes when they want this partner, offered by the partner's own button.
  | 'identity-needed'
  | 'partner-sign-in'
  | 'not-paired';

/** `wording`: why, in _locales, for the bar's reason line (the popup words `reason` itself). */
export type Readiness = { state: 'ready' } | { state: Exclude<PartnerButton['state'], 'ready' | 'working' | 'error'>; reason: BlockingReason; wording: Wording };

/**
 * Something broke or was never set up: the badge warns. Steps the clinician has simply not taken yet (pairing
 * with a partner they may never use, a sign-in that lasts the browser session) do not, or the warning would be
 * on all day and stop being read; the popup lists them with their buttons, and the badge's tooltip mentions them.
 */
export const NEEDS_ATTENTION: Record<BlockingReason, boolean> = {
  'unknown-kind': true,
  'secret-missing': true,
  'signing-key-missing': true,
  'host-access-missing': true,
  'identity-incomplete': true,
  'clinician-missing': true,
  'clinician-incomplete': true,
  're-pair-needed': true,
  'identity-needed': false,
  'partner-sign-in': false,
  'not-paired': false,
};

/** What is known about one partner here, gathered by the background (bar-state.ts). */
export type ReadinessFacts = { label: string; known: false } | KnownPartnerFacts;

interface KnownPartnerFacts {
  label: string;
  /** The configuration names a partner kind this version has a connector for. */
  known: true;
  /** A secret the launch needs is neither typed here nor given by policy (none are needed through the broker). */
  secretMissing: boolean;
  /** The partner trusts this installation's signed tokens, and no active key exists yet, so none is enrolled. */
  signingKeyMissing: boolean;
  /** The browser has not granted access to the origins the background calls for this partner. */
  hostAccessMissing: boolean;
  /** The partner has its own sign-in step (NHS login), and whether it was done this browser session. */
  signInStep: boolean;
  signedIn: boolean;
  /** Who the partner would be told the clinician is, or why there is no one to tell. */
  identity: PartnerClinician;
  /** For partners paired once per clinician (PKB); undefined for the others. */
  pairing: PairingState | undefined;
}

/** An identity problem as a reason for one partner (the bar names the partner; its details are in the popup). */
export const IDENTITY_PROBLEM_KEYS = {
  'identity-needed': 'barReasonIdentityNeeded',
  'identity-incomplete': 'barReasonIdentityIncomplete',
  'clinician-missing': 'barReasonClinicianMissing',
  'clinician-incomplete': 'barReasonClinicianIncomplete',
} as const satisfies Record<IdentityProblem['code'], MessageKey>;

/** A profile field a partner is told, as the reason line names it; the two NHS role fields read the same. */
const FIELD_KEYS = {
  displayName: ['barReasonNeedsName', 'barReasonNeedsNameOrSignIn'],
  username: ['barReasonNeedsUsername', 'barReasonNeedsUsernameOrSignIn'],
  email: ['barReasonNeedsEmail', 'barReasonNeedsEmailOrSignIn'],
  sdsUserId: ['barReasonNeedsSds', 'barReasonNeedsSdsOrSignIn'],
  roleProfileId: ['barReasonNeedsRole', 'barReasonNeedsRoleOrSignIn'],
  roleName: ['barReasonNeedsRole', 'barReasonNeedsRoleOrSignIn'],
  partnerUserId: ['barReasonNeedsPartnerUserId', 'barReasonNeedsPartnerUserIdOrSignIn'],
} as const satisfies Record<IdentityField, readonly [MessageKey, MessageKey]>;

/** Why the clinician cannot be named to this partner, in _locales: the missing field when it is one. */
export function identityProblemWording(problem: IdentityProblem, label: string): Wording {
  if (problem.wording) return problem.wording;
  if (!problem.missing) return [IDENTITY_PROBLEM_KEYS[problem.code], label];
  const [typed, orSignIn] = FIELD_KEYS[problem.missing.field];
  return problem.missing.provider ? [orSignIn, label, problem.missing.provider] : [typed, label];
}

/** First match wins: what only IT can fix comes before what the clinician can, so nobody is sent round in circles. */
export function decideReadiness(facts: ReadinessFacts): Readiness {
  const { label } = facts;
  const notSetUp: Wording = ['barReasonNotSetUp', label];
  if (!facts.known) return blocked('setup-needed', 'unknown-kind', notSetUp);
  if (facts.secretMissing) return blocked('setup-needed', 'secret-missing', notSetUp);
  if (facts.signingKeyMissing) return blocked('setup-needed', 'signing-key-missing', notSetUp);
  if (facts.hostAccessMissing) return blocked('setup-needed', 'host-access-missing', notSetUp);
  if (facts.signInStep && !facts.signedIn) return blocked('setup-needed', 'partner-sign-in', ['barReasonSignIn', label]);
  if (!facts.identity.ok) {
    const { code } = facts.identity.problem;
    const wording = identityProblemWording(facts.identity.problem, label);
    if (code === 'identity-needed') return blocked('sign-in-needed', 'identity-needed', wording);
    return blocked('setup-needed', code, wording);
  }
  if (facts.pairing === 'not-paired') return blocked('pairing-needed', 'not-paired', ['barReasonPair', label]);
  if (facts.pairing === 're-pair-needed') return blocked('pairing-needed', 're-pair-needed', ['barReasonRepair', label]);
  return { state: 'ready' };
}

function blocked(state: Exclude<Readiness['state'], 'ready'>, reason: BlockingReason, wording: Wording): Readiness {
  return { state, reason, wording };
}
