import { launchEndpoint } from '../connectors/black-pear';
import { goesViaBroker, type Config } from './config';

/** A key as `keys.get` lists it. */
export interface ListedKey {
  kid: string;
  alg: string;
  active: boolean;
}

/**
 * What Black Pear must hold to accept this partner's launches: its issuer allow-list entry, the audience its
 * tokens are addressed to, and the key they are signed with. A partner launched through the broker is signed
 * by the broker's keys instead, which Black Pear enrols by URL.
 */
export type BlackPearEnrolment =
  | { partnerId: string; label: string; signedBy: 'this-browser'; issuer: string; audience: string; alg: string; keyId?: string }
  | { partnerId: string; label: string; signedBy: 'broker'; jwksUrl: string };

export function blackPearEnrolments(config: Pick<Config, 'partners' | 'broker'>, keys: readonly ListedKey[]): BlackPearEnrolment[] {
  return config.partners.flatMap((partner): BlackPearEnrolment[] => {
    if (partner.kind !== 'black-pear') return [];
    const { id: partnerId, label } = partner;
    if (config.broker && goesViaBroker(config, partner)) {
      return [{ partnerId, label, signedBy: 'broker', jwksUrl: `${config.broker.url}/.well-known/jwks.json` }];
    }
    // The signer uses the newest active key of the partner's algorithm (installation-keys.ts).
    const keyId = keys.filter((key) => key.alg === partner.alg && key.active).at(-1)?.kid;
    const enrolment = { partnerId, label, signedBy: 'this-browser' as const, issuer: partner.clientId, audience: launchEndpoint(partner), alg: partner.alg };
    return [keyId ? { ...enrolment, keyId } : enrolment];
  });
}
