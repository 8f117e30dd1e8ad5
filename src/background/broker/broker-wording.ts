import { PHPKB_ERROR_KEYS } from '../../connectors/phpkb-errors';
import type { Wording } from '../../shared/launch-error';
import { IDENTITY_PROBLEM_KEYS } from '../page/partner-readiness';

/**
 * The words for an error the launch broker answered with. The broker sends a code (its own, or the partner
 * connector's that it ran) and an English message; the extension words the code from _locales, so the
 * clinician reads the same sentence in their language whether a partner goes through the broker or not.
 * A code not listed gets the general "did not open through the broker" sentence, never the broker's text.
 */
export function brokerWording(code: string, partnerLabel: string): Wording {
  const inner = code.replace(/^broker-/, '');
  if (Object.hasOwn(IDENTITY_PROBLEM_KEYS, inner)) return [IDENTITY_PROBLEM_KEYS[inner as keyof typeof IDENTITY_PROBLEM_KEYS], partnerLabel];
  const phpkb = /^phpkb-(\d{3}E\d)$/.exec(inner)?.[1];
  if (phpkb && Object.hasOwn(PHPKB_ERROR_KEYS, phpkb)) return [PHPKB_ERROR_KEYS[phpkb as keyof typeof PHPKB_ERROR_KEYS]];
  switch (inner) {
    case 'partner-timeout':
      return ['launchPartnerTimeout', partnerLabel];
    case 'partner-unreachable':
      return ['launchPartnerUnreachable', partnerLabel];
    case 'partner-bad-answer':
      return ['launchPartnerBadAnswer', partnerLabel];
    case 'launch-origin-refused':
      return ['launchOriginRefused'];
    case 'parchment-401':
      return ['launchParchmentCredentials'];
    case 'rate_limited':
      return ['launchBrokerBusy'];
    // The sign-in has ended or was revoked at the provider: signing in again is the fix.
    case 'invalid_token':
      return ['launchBrokerSignIn', partnerLabel];
    case 'installation_not_enrolled':
      return ['launchBrokerNotEnrolled'];
    case 'idp_unreachable':
      return ['launchBrokerIdpUnreachable'];
    case 'broker_timeout':
      return ['launchBrokerTimeout'];
    case 'internal':
    case 'store_unavailable':
    case 'audit_unavailable':
      return ['launchBrokerFailed'];
  }
  if (/^[a-z]+-429$/.test(inner)) return ['launchPartnerBusy', partnerLabel];
  if (/^[a-z]+-5\d\d$/.test(inner)) return ['launchPartnerUnavailable', partnerLabel];
  return ['launchBrokerPartnerFailed', partnerLabel];
}
