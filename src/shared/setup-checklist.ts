import type { BlackPearEnrolment } from './black-pear-enrolment';

/**
 * What is left to set up on this computer, in the order an administrator does it: the EHR sites and partners
 * (the configuration), each partner's secrets, the browser's access to the sites and partners, and the keys a
 * partner must enrol. One list behind the options page's checklist, its diagnostics and the toolbar badge, so
 * a half-finished install never looks healthy in one place and unfinished in another.
 */
export type SetupStep =
  | { kind: 'ehr-sites'; done: boolean }
  | { kind: 'partners'; done: boolean }
  | { kind: 'secret'; partnerId: string; partnerLabel: string; name: string; byPolicy: boolean; done: boolean }
  | { kind: 'host-access'; patterns: string[]; done: boolean }
  /** Done once the administrator says the values were sent: the other side's enrolment cannot be seen from here. */
  | ({ kind: 'enrol'; done: boolean } & Enrolment);

/**
 * Something another party must hold for this computer's launches to be accepted: Black Pear's issuer, audience
 * and key; a partner's or the organisation's sign-in provider's copy of the public key (private_key_jwt); the
 * launch broker's record of this installation's id.
 */
export interface Enrolment {
  /** A partner id, `identity` or `broker`. */
  target: string;
  label: string;
  what: 'partner-values' | 'public-key' | 'installation-id';
  /** What the administrator's "sent" is recorded under: new values (a rotated key) make a new one. */
  acknowledgement: string;
}

export interface SetupFacts {
  ehrSites: number;
  partners: { id: string; label: string; secretNames: readonly string[] }[];
  /** Secret names set per partner (typed here or given by policy), and those policy gives. */
  secretsSet: Record<string, readonly string[]>;
  secretsByPolicy: Record<string, readonly string[]>;
  /** Host-permission patterns the configuration needs and the browser has not granted. */
  hostAccessMissing: readonly string[];
  enrolments: readonly Enrolment[];
  /** Enrolments the administrator has marked as sent (their `acknowledgement` values). */
  acknowledged: readonly string[];
}

/**
 * The value the administrator's "sent" is recorded under: a new key (rotation) or a change of what the partner
 * must hold makes a new value, so the step comes back until the new values are sent too.
 */
export function blackPearAcknowledgement(enrolment: BlackPearEnrolment): string {
  return enrolment.signedBy === 'broker'
    ? `${enrolment.partnerId}|broker|${enrolment.jwksUrl}`
    : `${enrolment.partnerId}|${enrolment.issuer}|${enrolment.audience}|${enrolment.keyId ?? ''}`;
}

export function setupSteps(facts: SetupFacts): SetupStep[] {
  const steps: SetupStep[] = [
    { kind: 'ehr-sites', done: facts.ehrSites > 0 },
    { kind: 'partners', done: facts.partners.length > 0 },
  ];
  for (const partner of facts.partners) {
    for (const name of partner.secretNames) {
      steps.push({
        kind: 'secret',
        partnerId: partner.id,
        partnerLabel: partner.label,
        name,
        byPolicy: facts.secretsByPolicy[partner.id]?.includes(name) ?? false,
        done: facts.secretsSet[partner.id]?.includes(name) ?? false,
      });
    }
  }
  if (facts.ehrSites > 0 || facts.partners.length > 0) {
    steps.push({ kind: 'host-access', patterns: [...facts.hostAccessMissing], done: facts.hostAccessMissing.length === 0 });
  }
  for (const enrolment of facts.enrolments) {
    steps.push({ kind: 'enrol', ...enrolment, done: facts.acknowledged.includes(enrolment.acknowledgement) });
  }
  return steps;
}

export function stepsLeft(steps: readonly SetupStep[]): SetupStep[] {
  return steps.filter((step) => !step.done);
}
