import type { PartnerConfig } from '../../shared/config';
import { LaunchError } from '../../shared/launch-error';
import type { ListedPartner } from './broker-partners-client';

/**
 * Refuses, before asking for a launch, a partner the broker has said this clinician may not launch. An unknown
 * list (null) refuses nothing: the broker stays the authority and refuses the launch itself if it must.
 */
export function refuseUnlisted(listed: readonly ListedPartner[] | null, partner: Pick<PartnerConfig, 'id' | 'label'>): void {
  if (listed === null || listed.some((entry) => entry.id === partner.id)) return;
  throw new LaunchError(
    'broker-partner-not-listed',
    `Your organisation's launch broker does not offer ${partner.label} to you (it is not set up there, or your sign-in does not give what it needs), so nothing was opened. Tell your IT service desk.`,
    ['brokerListNotListed', partner.label],
  );
}
