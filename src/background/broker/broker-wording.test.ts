import { describe, expect, it } from 'vitest';
import { brokerWording } from './broker-wording';

describe('brokerWording', () => {
  it.each([
    ['broker-partner-timeout', ['launchPartnerTimeout', 'Parchment']],
    ['broker-parchment-401', ['launchParchmentCredentials']],
    ['broker-parchment-503', ['launchPartnerUnavailable', 'Parchment']],
    ['broker-pkb-429', ['launchPartnerBusy', 'Parchment']],
    ['broker-phpkb-401E1', ['launchPhpkb401E1']],
    ['broker-identity-needed', ['barReasonIdentityNeeded', 'Parchment']],
    ['broker-rate_limited', ['launchBrokerBusy']],
    ['broker-internal', ['launchBrokerFailed']],
    ['broker-store_unavailable', ['launchBrokerFailed']],
    ['broker-audit_unavailable', ['launchBrokerFailed']],
    ['broker-invalid_token', ['launchBrokerSignIn', 'Parchment']],
    ['broker-installation_not_enrolled', ['launchBrokerNotEnrolled']],
    ['broker-idp_unreachable', ['launchBrokerIdpUnreachable']],
    ['broker-broker_timeout', ['launchBrokerTimeout']],
  ])('words %s from _locales', (code, wording) => {
    expect(brokerWording(code, 'Parchment')).toEqual(wording);
  });

  it('gives a code it does not know the general sentence, not the broker\'s own text', () => {
    expect(brokerWording('broker-parchment-418', 'Parchment')).toEqual(['launchBrokerPartnerFailed', 'Parchment']);
    expect(brokerWording('broker-phpkb-999E9', 'PHPKB')).toEqual(['launchBrokerPartnerFailed', 'PHPKB']);
    expect(brokerWording('broker-__proto__', 'PHPKB')).toEqual(['launchBrokerPartnerFailed', 'PHPKB']);
  });
});
