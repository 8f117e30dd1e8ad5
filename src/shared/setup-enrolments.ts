import { connectorFor } from '../connectors/registry';
import { blackPearEnrolments, type ListedKey } from './black-pear-enrolment';
import { goesViaBroker, type Config } from './config';
import { blackPearAcknowledgement, type Enrolment } from './setup-checklist';

/** The newest active key of an algorithm: the one signing now (installation-keys.ts). */
const activeKid = (keys: readonly ListedKey[], alg: string) => keys.filter((key) => key.alg === alg && key.active).at(-1)?.kid;

/**
 * Everyone who must hold something of this computer's before its launches are accepted. Nothing is listed before
 * its key exists (setup.get makes the keys first), and a rotated key makes a new acknowledgement.
 */
export function enrolmentsFor(config: Config, keys: readonly ListedKey[]): Enrolment[] {
  const enrolments: Enrolment[] = [];
  for (const enrolment of blackPearEnrolments(config, keys)) {
    if (enrolment.signedBy === 'this-browser' && !enrolment.keyId) continue;
    enrolments.push({ target: enrolment.partnerId, label: enrolment.label, what: 'partner-values', acknowledgement: blackPearAcknowledgement(enrolment) });
  }
  for (const partner of config.partners) {
    const alg = partner.kind === 'black-pear' || goesViaBroker(config, partner) ? undefined : connectorFor(partner.kind)?.signingAlg?.(partner as never);
    const kid = alg && activeKid(keys, alg);
    if (kid) enrolments.push({ target: partner.id, label: partner.label, what: 'public-key', acknowledgement: `${partner.id}|${kid}` });
  }
  const provider = config.identity.provider;
  const providerKid = provider?.clientAuth === 'private_key_jwt' ? activeKid(keys, provider.alg) : undefined;
  if (provider && providerKid) {
    enrolments.push({ target: 'identity', label: provider.label ?? provider.issuer, what: 'public-key', acknowledgement: `identity|${provider.issuer}|${providerKid}` });
  }
  const installation = config.broker ? activeKid(keys, 'ES256') : undefined;
  if (config.broker && installation) {
    enrolments.push({ target: 'broker', label: config.broker.url, what: 'installation-id', acknowledgement: `broker|${config.broker.url}|${installation}` });
  }
  return enrolments;
}
